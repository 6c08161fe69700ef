import Foundation
import Hummingbird
import Projects

/// A project's files as text.
///
/// - `GET /api/projects/{id}/file?path=P` → `{"path", "content"}` (404 missing, 400 path outside
///   the project, 415 not UTF-8 text, 413 too large)
/// - `PUT /api/projects/{id}/file` `{"path", "content"}` → `{"ok": true}` (the old content goes to
///   the file's history)
///
/// Ours, for the IDE's file tree (the last content of a deleted or renamed file stays in its
/// history):
/// - `DELETE /api/projects/{id}/file?path=P` → `{"ok": true}` (404 missing)
/// - `POST /api/projects/{id}/file/rename` `{"from", "to"}` → `{"ok": true}` (409 when `to`
///   exists)
/// - `PUT /api/projects/{id}/upload?path=P` with the file's bytes as the body
///   (`Content-Type: application/octet-stream`) → `{"ok": true}`: meshes, textures
struct FileRoutes {
  let store: ProjectStore

  struct FileContent: Codable {
    var path: String
    var content: String
    /// Ours: where the change comes from (a proposal applied: its provider, model, check),
    /// kept in the history with the version it replaces.
    var source: ChangeSource?
  }

  struct Rename: Codable {
    var from: String
    var to: String
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
    router.delete("/api/projects/:id/file") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let path = try request.requiredQuery("path")
      try await store.run { try $0.deleteFile(session: session, id: id, path: path) }
      return try Response.json(OKResponse())
    }
    router.post("/api/projects/:id/file/rename") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(Rename.self, limit: 16 * 1024)
      try await store.run {
        try $0.renameFile(session: session, id: id, from: body.from, to: body.to)
      }
      return try Response.json(OKResponse())
    }
    router.put("/api/projects/:id/upload") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let path = try request.requiredQuery("path")
      // Only a type a cross-site form cannot send without asking first.
      guard request.headers[.contentType] == "application/octet-stream" else {
        throw HTTPError(
          .unsupportedMediaType,
          message: "an upload's body is the file's bytes, sent as application/octet-stream")
      }
      var request = request
      let data = Data(buffer: try await request.collectBody(limit: store.limits.maxFileBytes))
      try await store.run { try $0.uploadFile(session: session, id: id, path: path, data: data) }
      return try Response.json(OKResponse())
    }
  }
}
