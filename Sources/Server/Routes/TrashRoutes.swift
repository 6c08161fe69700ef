import Hummingbird
import Projects

/// Deleted projects, restorable until the trash retention (7 days by default) runs out.
///
/// - `GET /api/trash` → `[{"id", "name", "deleted_at"}]`, newest first
/// - `POST /api/trash/{id}/restore` → `ProjectInfo`
struct TrashRoutes {
  let store: ProjectStore

  func register(on router: Router<TauRequestContext>) {
    let store = store
    router.get("/api/trash") { _, context in
      let session = try context.requireSession()
      return try Response.json(try await store.run { try $0.trash(session: session) })
    }
    router.post("/api/trash/:id/restore") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      return try Response.json(
        try await store.run { try $0.restoreFromTrash(session: session, id: id) })
    }
  }
}
