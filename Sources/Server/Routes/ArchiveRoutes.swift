import Foundation
import Hummingbird
import Projects

/// Projects as zip files.
///
/// - `GET /api/projects/{id}/zip` → the project's files as `application/zip`
/// - `POST /api/projects/import/zip?name=N` (body: the zip bytes) → `ProjectInfo` of a new
///   project (400 unsafe or unreadable archive, 413 over a limit, 503 when too many zip
///   transfers run at once)
struct ArchiveRoutes {
  let store: ProjectStore
  var transfers = TransferSlots(capacity: 4)

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let transfers = transfers
    router.get("/api/projects/:id/zip") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let (data, name) = try await transfers.run {
        try await store.run { store in
          (
            try store.exportArchive(session: session, id: id),
            try store.project(session: session, id: id).name
          )
        }
      }
      return Response(
        status: .ok,
        headers: [
          .contentType: "application/zip",
          .contentDisposition: "attachment; filename=\"\(Self.fileName(for: name)).zip\"",
        ],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
    router.post("/api/projects/import/zip") { request, context in
      let session = try context.requireSession()
      let name = request.uri.queryParameters["name"].map(String.init)
      var request = request
      return try await transfers.run {
        let buffer = try await request.collectBody(limit: store.limits.maxArchiveBytes)
        let data = Data(buffer: buffer)
        return try Response.json(
          try await store.run { try $0.importArchive(session: session, name: name, archive: data) }
        )
      }
    }
  }

  /// A safe download name: letters, digits, `-` and `_` of the project name.
  static func fileName(for name: String) -> String {
    let kept = name.unicodeScalars.map { scalar -> Character in
      scalar.isASCII
        && (CharacterSet.alphanumerics.contains(scalar) || "-_".unicodeScalars.contains(scalar))
        ? Character(scalar) : "_"
    }
    let text = String(kept).trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    return text.isEmpty ? "project" : String(text.prefix(64))
  }
}
