import Hummingbird
import Projects
import Simulation

/// Projects: list, create from a template, get, delete (to the trash); and the templates.
///
/// - `GET /api/projects` → `[ProjectInfo]`
/// - `POST /api/projects` `{"name", "template"}` → `ProjectInfo`; a template that is a
///   Menagerie robot's name makes the project from that robot (imported as by
///   `POST .../import/menagerie`; nothing is left when the import fails)
/// - `GET /api/projects/{id}` → `ProjectInfo` (404 unknown, 400 not an id)
/// - `DELETE /api/projects/{id}` → `{"ok": true}`
/// - `GET /api/templates` → `[{"name", "summary"}]`
struct ProjectRoutes {
  let store: ProjectStore
  /// For projects made from a Menagerie robot.
  var menagerie: MenagerieService? = nil

  struct CreateBody: Decodable {
    var name: String?
    var template: String?
  }

  struct TemplateSummary: Encodable {
    var name: String
    var summary: String
  }

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let menagerie = menagerie
    router.get("/api/templates") { _, _ in
      try Response.json(
        ProjectTemplate.all.map { TemplateSummary(name: $0.name, summary: $0.summary) })
    }
    router.get("/api/projects") { _, context in
      let session = try context.requireSession()
      return try Response.json(try await store.run { try $0.listProjects(session: session) })
    }
    router.post("/api/projects") { request, context in
      let session = try context.requireSession()
      var request = request
      let body = try await request.decodeJSON(CreateBody.self, limit: 64 * 1024)
      if let robot = body.template, !ProjectTemplate.names.contains(robot), let menagerie {
        return try Response.json(
          try await Self.create(
            robot: robot, name: body.name, session: session, store: store, menagerie: menagerie))
      }
      let info = try await store.run {
        try $0.createProject(session: session, name: body.name, template: body.template)
      }
      return try Response.json(info)
    }
    router.get("/api/projects/:id") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      return try Response.json(try await store.run { try $0.project(session: session, id: id) })
    }
    router.delete("/api/projects/:id") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      try await store.run { try $0.deleteProject(session: session, id: id) }
      return try Response.json(OKResponse())
    }
  }
}

extension ProjectRoutes {
  /// A project made from a Menagerie robot: a bare one, then the import; when the import
  /// fails the project goes (not even to the trash) and the import's error is the answer.
  static func create(
    robot: String, name: String?, session: SessionID, store: ProjectStore,
    menagerie: MenagerieService
  ) async throws -> ProjectInfo {
    try MenagerieRoutes.checkName(robot, what: "template")
    let empty = try await store.run {
      try $0.createBareProject(session: session, name: name ?? robot)
    }
    do {
      _ = try await menagerie.importRobot(robot, entry: nil, into: empty.id, session: session)
    } catch {
      try? await store.run { try $0.eraseProject(session: session, id: empty.id) }
      throw error
    }
    return try await store.run { try $0.project(session: session, id: empty.id) }
  }
}

extension TauRequestContext {
  /// The `{id}` of the route, parsed once here: what is not one of our ids goes no further.
  func projectID() throws -> ProjectID {
    try ProjectID(parameters.get("id") ?? "")
  }
}
