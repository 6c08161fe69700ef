import Foundation
import MuJoCo
import Rendering
import Workers

/// Compiled models a tau worker keeps between requests, with their
/// renderers, so rendering a run's frames compiles the model once.
///
/// Bounded by memory as well as by count: one model with a large texture may hold more than
/// many small ones, and the worker is shared by every session.
final class ModelCache {
  struct Entry {
    let model: Model
    /// The files compiling it read, as they were then (only the main file when MuJoCo read
    /// the others itself, none for XML text).
    let stamps: [FileStamp]
    var renderers: [SceneRenderer.Quality: SceneRenderer] = [:]

    /// What the entry holds: the model, and for each renderer its own copy of the model
    /// (presets change visual settings) plus the textures it uploaded, about as large again.
    var bytes: Int { model.byteSize * (1 + 2 * renderers.count) }
  }

  /// A file model is keyed by its path and modification time, so an edited
  /// file is compiled again; an entry whose included files changed is compiled again too.
  struct Key: Hashable {
    let source: ModelSource
    let modified: Date?
  }

  private var entries: [Key: Entry] = [:]
  private var order: [Key] = []
  private let capacity: Int
  private let maximumBytes: Int

  /// The default byte bound: a few large Menagerie scenes, well under a worker's memory limit.
  static let defaultMaximumBytes = 1 << 30

  init(capacity: Int = 8, maximumBytes: Int = defaultMaximumBytes) {
    self.capacity = capacity
    self.maximumBytes = maximumBytes
  }

  /// Bytes held by all entries.
  var bytes: Int { entries.values.reduce(0) { $0 + $1.bytes } }
  var count: Int { entries.count }

  func model(for source: ModelSource) throws -> Model {
    try entry(for: source).entry.model
  }

  /// The model and the paths of the files compiling it read (empty when unknown).
  func compiled(for source: ModelSource) throws -> (model: Model, files: [String]) {
    let entry = try entry(for: source).entry
    return (entry.model, entry.stamps.map(\.path))
  }

  func renderer(
    for source: ModelSource, quality: SceneRenderer.Quality, gl: GLContext
  ) throws -> SceneRenderer {
    let (key, entry) = try entry(for: source)
    if let renderer = entry.renderers[quality] { return renderer }
    // Each preset changes the model's visual settings, so each gets its own copy.
    let model = entry.renderers.isEmpty ? entry.model : try compile(source).model
    let renderer = try SceneRenderer(model: model, quality: quality, gl: gl)
    entries[key]?.renderers[quality] = renderer
    evict(keeping: key)
    return renderer
  }

  private func entry(for source: ModelSource) throws -> (key: Key, entry: Entry) {
    let key = Key(source: source, modified: modificationDate(of: source))
    if let entry = entries[key], entry.stamps.allSatisfy(\.isCurrent) {
      order.removeAll { $0 == key }
      order.append(key)
      return (key, entry)
    }
    order.removeAll { $0 == key }
    entries[key] = nil
    let (model, paths) = try compile(source)
    let entry = Entry(model: model, stamps: paths.map(FileStamp.init(path:)))
    entries[key] = entry
    order.append(key)
    evict(keeping: key)
    return (key, entry)
  }

  /// Drops the least recently used entries until the cache is within its bounds; `kept`
  /// (the one in use) stays whatever its size.
  private func evict(keeping kept: Key) {
    while order.count > 1, order.count > capacity || bytes > maximumBytes {
      guard let oldest = order.first(where: { $0 != kept }) else { return }
      order.removeAll { $0 == oldest }
      entries[oldest] = nil
    }
  }

  /// The model, and the files it was compiled from.
  private func compile(_ source: ModelSource) throws -> (model: Model, paths: [String]) {
    switch source {
    case .file(let path, let root):
      guard let root else { return (try Model(contentsOf: path), [path]) }
      // Compiled from the bytes the confinement read, never from the disk again.
      var confinement = try MJCFConfinement(root: root)
      let checked = try confinement.check(modelFile: path)
      let model = try Model(
        mainFile: checked.mainFile, files: checked.files, modelFile: checked.path)
      return (model, checked.paths)
    case .xml(let text, let assets): return (try Model(xml: text, assetsDirectory: assets), [])
    }
  }

  private func modificationDate(of source: ModelSource) -> Date? {
    guard case .file(let path, _) = source else { return nil }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return attributes?[.modificationDate] as? Date
  }
}
