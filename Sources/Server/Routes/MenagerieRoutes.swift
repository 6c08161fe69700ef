import Foundation
import Hummingbird
import Projects
import Simulation

/// Robots from MuJoCo Menagerie, through Google DeepMind's catalog and cache
/// (`MenagerieWorker`).
///
/// - `GET /api/menagerie/models` → sorted model names (the original's answer)
/// - `GET /api/menagerie/catalog?category=C&q=TEXT` → `[MenagerieModel]`
/// - `POST /api/projects/{id}/import/menagerie` `{"model", "entry"?}` →
///   `{"model", "entry_xml", "file_count", "entry", "warnings"}`
struct MenagerieRoutes {
  let store: ProjectStore
  let simulation: SimulationServices

  struct ImportBody: Decodable {
    var model: String
    var entry: String?
  }

  struct ImportAnswer: Encodable {
    var model: String
    var entryXML: String
    var fileCount: Int
    var entry: String
    var warnings: [String]

    enum CodingKeys: String, CodingKey {
      case model, entry, warnings
      case entryXML = "entry_xml"
      case fileCount = "file_count"
    }
  }

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let simulation = simulation
    router.get("/api/menagerie/models") { _, _ in
      try Response.json(try await Self.catalog(simulation).map(\.name).sorted())
    }
    router.get("/api/menagerie/catalog") { request, _ in
      let category = request.uri.queryParameters.get("category")
      let query = request.uri.queryParameters.get("q")?.lowercased() ?? ""
      let models = try await Self.catalog(simulation).filter { model in
        (category == nil || model.category == category)
          && (query.isEmpty || model.name.lowercased().contains(query)
            || model.displayName.lowercased().contains(query))
      }
      return try Response.json(models)
    }
    router.post("/api/projects/:id/import/menagerie") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(ImportBody.self, limit: 64 * 1024)
      return try Response.json(
        try await Self.importRobot(
          body.model, entry: body.entry, into: id, session: session, store: store,
          simulation: simulation))
    }
  }

  /// Imports `model` into the project `id`: resolved and prepared by the Menagerie worker,
  /// copied through the history, validated by a tau worker.
  static func importRobot(
    _ model: String, entry: String?, into id: ProjectID, session: SessionID,
    store: ProjectStore, simulation: SimulationServices
  ) async throws -> ImportAnswer {
    try checkName(model, what: "model")
    if let entry { try checkName(entry, what: "entry") }
    let project = try await store.run { try $0.projectURL(session: session, id: id) }
    let prepared = try await answering {
      try await simulation.menagerie.prepare(model: model, entry: entry)
    }
    let count = try await store.run {
      try $0.importFiles(
        session: session, id: id, from: URL(fileURLWithPath: prepared.folder),
        paths: prepared.files, extra: [("env.py", Data(prepared.envPy.utf8))])
    }
    let summary = try await SimulationHTTP.worker(project: project) {
      try await simulation.renderer.load(
        .file(
          path: project.appendingPathComponent(prepared.entryXML).path, confinedTo: project.path))
    }
    return ImportAnswer(
      model: prepared.model, entryXML: prepared.entryXML, fileCount: count,
      entry: prepared.entry, warnings: summary.warnings)
  }

  static func catalog(_ simulation: SimulationServices) async throws -> [MenagerieModel] {
    try await answering { try await simulation.menagerie.catalog() }
  }

  /// A model or entry name as the registry spells them: letters, digits, `_` and `-`.
  static func checkName(_ name: String, what: String) throws {
    let allowed = CharacterSet(
      charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    guard !name.isEmpty, name.count <= 100, !name.hasPrefix("-"),
      name.unicodeScalars.allSatisfy(allowed.contains)
    else {
      throw HTTPError(
        .badRequest,
        message: "invalid \(what) name \(String(reflecting: name)): use letters, digits, _ and -")
    }
  }

  /// The worker's failures as statuses that say what to do.
  static func answering<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let failure as MenagerieFailure {
      switch failure.kind {
      case .unknownModel, .unknownEntry:
        throw HTTPError(.badRequest, message: "model not found: \(failure.message)")
      case .unavailable:
        throw HTTPError(
          .badGateway,
          message: "\(failure.message) (set MENAGERIE_ROOT to a local checkout, or "
            + "MENAGERIE_CACHE_DIR to a cache that holds the model, to work offline)")
      case .invalid:
        throw HTTPError(.unprocessableContent, message: failure.message)
      case .request:
        throw HTTPError(.badGateway, message: failure.message)
      }
    }
  }
}
