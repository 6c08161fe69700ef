import Foundation
import Hummingbird
import Projects
import Simulation
import Synchronization
import Workers

/// What the Menagerie routes share: the catalog (asked of the worker at most every
/// `catalogLifetime`, and again after an import, which may change what is offline), the
/// imports under way with their progress, and the catalog's thumbnails.
final class MenagerieService: Sendable {
  let store: ProjectStore
  let simulation: SimulationServices
  let catalogLifetime: Duration = .seconds(30)

  private let cachedCatalog = Mutex<(models: [MenagerieModel], at: ContinuousClock.Instant)?>(nil)
  private let imports = Mutex<[ImportKey: ImportProgress]>([:])
  private let thumbnails = Mutex<[String: Data]>([:])

  /// A picture of a model folder, at most (Menagerie's are tens of KiB).
  static let maxPictureBytes = 4 << 20
  static let thumbnailOptions = RenderOptions(
    width: 320, height: 240, format: .png, quality: .high, jpegQuality: 85)

  struct ImportKey: Hashable, Sendable {
    let session: SessionID
    let project: ProjectID
  }

  init(store: ProjectStore, simulation: SimulationServices) {
    self.store = store
    self.simulation = simulation
  }

  func catalog() async throws -> [MenagerieModel] {
    if let cached = cachedCatalog.withLock({ $0 }), cached.at + catalogLifetime > .now {
      return cached.models
    }
    let models = try await MenagerieRoutes.answering { try await simulation.menagerie.catalog() }
    cachedCatalog.withLock { $0 = (models, .now) }
    return models
  }

  /// Imports `model` into the project `id`: resolved and prepared by the Menagerie worker,
  /// copied through the history, validated by a tau worker. Its progress is kept for
  /// `progress(session:project:)` while it runs.
  func importRobot(
    _ model: String, entry: String?, into id: ProjectID, session: SessionID
  ) async throws -> MenagerieRoutes.ImportAnswer {
    try MenagerieRoutes.checkName(model, what: "model")
    if let entry { try MenagerieRoutes.checkName(entry, what: "entry") }
    let store = store
    let project = try await store.run { try $0.projectURL(session: session, id: id) }
    let key = ImportKey(session: session, project: id)
    imports.withLock { $0[key] = ImportProgress(model: model, done: 0, total: 0) }
    defer {
      imports.withLock { $0[key] = nil }
      cachedCatalog.withLock { $0 = nil }
    }
    let (prepared, count) = try await MenagerieRoutes.answering {
      try await simulation.menagerie.withPrepared(
        model: model, entry: entry,
        progress: { [self] done, total in
          imports.withLock { $0[key] = ImportProgress(model: model, done: done, total: total) }
        }
      ) { prepared in
        let count = try await store.run {
          try $0.importFiles(
            session: session, id: id, from: URL(fileURLWithPath: prepared.folder),
            paths: prepared.files, extra: [("env.py", Data(prepared.envPy.utf8))])
        }
        return (prepared, count)
      }
    }
    let summary = try await SimulationHTTP.worker(project: project) {
      try await simulation.renderer.load(
        .file(
          path: project.appendingPathComponent(prepared.entryXML).path, confinedTo: project.path))
    }
    return MenagerieRoutes.ImportAnswer(
      model: prepared.model, entryXML: prepared.entryXML, fileCount: count,
      entry: prepared.entry, warnings: summary.warnings)
  }

  func progress(session: SessionID, project: ProjectID) -> ImportProgress? {
    imports.withLock { $0[ImportKey(session: session, project: project)] }
  }

  /// The model folder's own picture, else a render of its default entry by a tau worker
  /// (confined to the model's folder), kept once made. Nil for a model that is not offline.
  func thumbnail(_ model: MenagerieModel) async throws -> Data? {
    guard model.availableOffline, let folder = model.folder else { return nil }
    if let made = thumbnails.withLock({ $0[model.name] }) { return made }
    let data: Data
    if let picture = model.picture, let bytes = try await Self.readPicture(picture, in: folder) {
      data = bytes
    } else if let entry = model.defaultXML {
      data = try await SimulationHTTP.worker(project: URL(fileURLWithPath: folder)) {
        try await simulation.renderer.render(
          .file(
            path: URL(fileURLWithPath: folder).appendingPathComponent(entry).path,
            confinedTo: folder),
          options: Self.thumbnailOptions)
      }
    } else {
      return nil
    }
    thumbnails.withLock { $0[model.name] = data }
    return data
  }

  /// A PNG of the model's folder: a regular file directly in it, not a link, not too large.
  static func readPicture(_ path: String, in folder: String) async throws -> Data? {
    try await BlockingIO.run {
      let url = URL(fileURLWithPath: path)
      guard
        url.deletingLastPathComponent().standardizedFileURL.path
          == URL(fileURLWithPath: folder).standardizedFileURL.path,
        let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        attributes[.type] as? FileAttributeType == .typeRegular,
        (attributes[.size] as? Int ?? .max) <= maxPictureBytes
      else { return nil }
      let data = try Data(contentsOf: url)
      // PNG's signature: a folder's picture is served as a PNG only when it is one.
      return data.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? data : nil
    }
  }
}

/// How far an import is: bytes downloaded of the model's download (0 of 0 when nothing is
/// downloaded: the model is local or cached).
struct ImportProgress: Codable, Equatable, Sendable {
  var model: String
  var done: Int
  var total: Int
}
