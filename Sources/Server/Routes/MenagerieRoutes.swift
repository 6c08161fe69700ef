import Foundation
import Hummingbird
import Projects
import Simulation

/// Robots from MuJoCo Menagerie, through Google DeepMind's catalog and cache
/// (`MenagerieWorker`, shared state in `MenagerieService`).
///
/// - `GET /api/menagerie/models` → sorted model names (the original's answer)
/// - `GET /api/menagerie/catalog?category=C&q=TEXT` → `[MenagerieModel]`, each with a
///   `thumbnail_url` (null for a model not available offline)
/// - `GET /api/menagerie/models/{name}/thumbnail` → PNG (the folder's picture, or a render)
/// - `POST /api/projects/{id}/import/menagerie` `{"model", "entry"?}` →
///   `{"model", "entry_xml", "file_count", "entry", "warnings"}`
/// - `GET /api/projects/{id}/import/menagerie/progress` → `{"model", "done", "total"}`
///   (bytes downloaded) while an import runs; 404 when none does
struct MenagerieRoutes {
  let service: MenagerieService

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

  /// A catalog entry as a client sees it.
  struct CatalogEntry: Encodable {
    var model: MenagerieModel
    /// The picture route, for a model whose files are here (offline).
    var thumbnailURL: String? {
      model.availableOffline ? "/api/menagerie/models/\(model.name)/thumbnail" : nil
    }

    enum CodingKeys: String, CodingKey { case thumbnailURL = "thumbnail_url" }

    func encode(to encoder: any Encoder) throws {
      try model.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(thumbnailURL, forKey: .thumbnailURL)
    }

    /// The models of `catalog` in `category` (any when nil) whose name, display name or
    /// category holds `query`, in any case: the catalog route's and MCP's search.
    static func matching(_ catalog: [MenagerieModel], category: String?, query: String)
      -> [CatalogEntry]
    {
      let query = query.lowercased()
      return catalog.filter { model in
        (category == nil || model.category == category)
          && (query.isEmpty || model.name.lowercased().contains(query)
            || model.displayName.lowercased().contains(query)
            || model.category.lowercased().contains(query))
      }.map { CatalogEntry(model: $0) }
    }
  }

  func register(on router: Router<TauRequestContext>) {
    let service = service
    router.get("/api/menagerie/models") { _, _ in
      try Response.json(try await service.catalog().map(\.name).sorted())
    }
    router.get("/api/menagerie/catalog") { request, _ in
      let category = request.uri.queryParameters.get("category")
      let query = request.uri.queryParameters.get("q") ?? ""
      return try Response.json(
        CatalogEntry.matching(try await service.catalog(), category: category, query: query))
    }
    router.get("/api/menagerie/models/:name/thumbnail") { _, context in
      let name = context.parameters.get("name") ?? ""
      try Self.checkName(name, what: "model")
      guard let model = try await service.catalog().first(where: { $0.name == name }) else {
        throw HTTPError(.notFound, message: "model not found: \(name)")
      }
      guard let image = try await service.thumbnail(model) else {
        throw HTTPError(
          .notFound,
          message: "\(name) is not available offline yet; import it or run "
            + "`tau menagerie prefetch \(name)` first")
      }
      var response = RequestValues.image(image, format: .png)
      response.headers[.cacheControl] = "max-age=3600"
      return response
    }
    router.post("/api/projects/:id/import/menagerie") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(ImportBody.self, limit: 64 * 1024)
      return try Response.json(
        try await service.importRobot(body.model, entry: body.entry, into: id, session: session))
    }
    router.get("/api/projects/:id/import/menagerie/progress") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      guard let progress = service.progress(session: session, project: id) else {
        throw HTTPError(.notFound, message: "no Menagerie import is under way for this project")
      }
      return try Response.json(progress)
    }
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
      case .rateLimited:
        throw HTTPError(
          .tooManyRequests, headers: [.retryAfter: failure.retryAfter ?? "3600"],
          message: failure.message)
      case .request:
        throw HTTPError(.badGateway, message: failure.message)
      }
    }
  }
}
