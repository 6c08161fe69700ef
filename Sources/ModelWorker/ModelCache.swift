import Foundation
import MuJoCo
import Rendering
import Workers

/// Compiled models a tau worker keeps between requests, with their
/// renderers, so rendering a run's frames compiles the model once.
final class ModelCache {
  struct Entry {
    let model: Model
    var renderers: [SceneRenderer.Quality: SceneRenderer] = [:]
  }

  /// A file model is keyed by its path and modification time, so an edited
  /// file is compiled again.
  struct Key: Hashable {
    let source: ModelSource
    let modified: Date?
  }

  private var entries: [Key: Entry] = [:]
  private var order: [Key] = []
  private let capacity: Int

  init(capacity: Int = 8) { self.capacity = capacity }

  func model(for source: ModelSource) throws -> Model {
    try entry(for: source).entry.model
  }

  func renderer(
    for source: ModelSource, quality: SceneRenderer.Quality, gl: GLContext
  ) throws -> SceneRenderer {
    let (key, entry) = try entry(for: source)
    if let renderer = entry.renderers[quality] { return renderer }
    // Each preset changes the model's visual settings, so each gets its own copy.
    let model = entry.renderers.isEmpty ? entry.model : try compile(source)
    let renderer = try SceneRenderer(model: model, quality: quality, gl: gl)
    entries[key]?.renderers[quality] = renderer
    return renderer
  }

  private func entry(for source: ModelSource) throws -> (key: Key, entry: Entry) {
    let key = Key(source: source, modified: modificationDate(of: source))
    if let entry = entries[key] {
      order.removeAll { $0 == key }
      order.append(key)
      return (key, entry)
    }
    let entry = Entry(model: try compile(source))
    entries[key] = entry
    order.append(key)
    if order.count > capacity { entries[order.removeFirst()] = nil }
    return (key, entry)
  }

  private func compile(_ source: ModelSource) throws -> Model {
    switch source {
    case .file(let path, let root):
      if let root { try MJCFConfinement(root: root).check(modelFile: path) }
      return try Model(contentsOf: path)
    case .xml(let text, let assets): return try Model(xml: text, assetsDirectory: assets)
    }
  }

  private func modificationDate(of source: ModelSource) -> Date? {
    guard case .file(let path, _) = source else { return nil }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return attributes?[.modificationDate] as? Date
  }
}
