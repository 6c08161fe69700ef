import Hummingbird
import Projects

/// A project's files as text.
///
/// - `GET /api/projects/{id}/file?path=P` → `{"path", "content"}` (404 missing, 400 path outside
///   the project, 415 not UTF-8 text, 413 too large)
/// - `PUT /api/projects/{id}/file` `{"path", "content"}` → `{"ok": true}` (the old content goes to
///   the file's history)
struct FileRoutes {
  let store: ProjectStore

  struct FileContent: Codable {
    var path: String
    var content: String
    /// Ours: where the change comes from (a proposal applied: its provider, model, check),
    /// kept in the history with the version it replaces.
    var source: ChangeSource?
  }

  func register(on router: Router<TauRequestContext>) {
    let store = store
    // JSON escaping can double a file's size; the store checks the content's own limit.
    let bodyLimit = store.limits.maxFileBytes * 2 + 64 * 1024
    router.get("/api/projects/:id/file") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let path = try request.requiredQuery("path")
      let content = try await store.run { try $0.readFile(session: session, id: id, path: path) }
      return try Response.json(FileContent(path: path, content: content))
    }
    router.put("/api/projects/:id/file") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(FileContent.self, limit: bodyLimit)
      try await store.run {
        try $0.writeFile(
          session: session, id: id, path: body.path, content: body.content, source: body.source)
      }
      return try Response.json(OKResponse())
    }
  }
}
