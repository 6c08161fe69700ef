import Foundation
import Hummingbird
import Projects

/// Earlier versions of a file, so any overwrite can be undone.
///
/// - `GET /api/projects/{id}/history?path=P` → `[{"version", "time", "size"}]`, newest first
/// - `GET /api/projects/{id}/history?path=P&version=N` → `{"path", "version", "content"}`: one
///   version's text, for a diff
/// - `POST /api/projects/{id}/history/restore` `{"path", "version"}` → `{"ok": true}` (the
///   content it replaces is kept as a version too)
struct HistoryRoutes {
  let store: ProjectStore

  struct RestoreBody: Decodable {
    var path: String
    var version: String

    enum CodingKeys: String, CodingKey { case path, version }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      path = try container.decode(String.self, forKey: .path)
      if let number = try? container.decode(Int.self, forKey: .version) {
        version = String(number)
      } else {
        version = try container.decode(String.self, forKey: .version)
      }
    }
  }

  struct VersionContent: Encodable {
    var path: String
    var version: String
    var content: String
  }

  func register(on router: Router<TauRequestContext>) {
    let store = store
    router.get("/api/projects/:id/history") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let path = try request.requiredQuery("path")
      if let version = request.uri.queryParameters.get("version") {
        let content = try await store.run {
          try $0.versionText(session: session, id: id, path: path, version: version)
        }
        return try Response.json(VersionContent(path: path, version: version, content: content))
      }
      return try Response.json(
        try await store.run { try $0.history(session: session, id: id, path: path) })
    }
    router.post("/api/projects/:id/history/restore") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(RestoreBody.self, limit: 64 * 1024)
      try await store.run {
        try $0.restoreVersion(session: session, id: id, path: body.path, version: body.version)
      }
      return try Response.json(OKResponse())
    }
  }
}
