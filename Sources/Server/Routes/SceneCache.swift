import Foundation
import Projects
import Simulation
import Synchronization
import Workers

/// Scene documents the server has made lately, so a viewer that reloads, or a second tab,
/// costs a few `stat`s instead of a compile in a tau worker.
///
/// Keyed by the model file's path; an entry holds only while that file and every file
/// compiling it read (includes, meshes, textures, as the worker listed them) keep their size,
/// modification time and inode. Bounded by count and bytes, least recently used out first.
/// The stamps are read with `stat`, so lookups and stores run off the cooperative pool
/// (`BlockingIO`).
final class SceneCache: Sendable {
  let capacity: Int
  let maximumBytes: Int

  private struct Entry {
    let stamps: [FileStamp]
    let scene: EncodedScene
  }

  private struct State {
    var entries: [String: Entry] = [:]
    /// Least recently used first.
    var order: [String] = []
    var bytes = 0
  }

  private let state = Mutex(State())

  init(capacity: Int = 16, maximumBytes: Int = 256 * 1024 * 1024) {
    self.capacity = capacity
    self.maximumBytes = maximumBytes
  }

  /// The document of the model at `path`, if one is cached and none of its files changed.
  func scene(for path: String) -> EncodedScene? {
    guard let entry = state.withLock({ $0.entries[path] }) else { return nil }
    // Stat outside the lock: a slow disk must not hold up other lookups.
    guard entry.stamps.allSatisfy(\.isCurrent) else {
      state.withLock { Self.remove(path, from: &$0) }
      return nil
    }
    state.withLock { state in
      state.order.removeAll { $0 == path }
      state.order.append(path)
    }
    return entry.scene
  }

  /// Keeps `scene` for the model at `path`. `main` is the model file's stamp taken before the
  /// worker was asked, so an edit made while it compiled makes the entry stale, not wrong; the
  /// other files the worker read are stamped now, those outside `project` left out.
  func store(_ scene: EncodedScene, for path: String, main: FileStamp, project: URL) {
    guard scene.data.count <= maximumBytes else { return }
    let folders = Set([project.standardizedFileURL.path, project.resolvingSymlinksInPath().path])
      .map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    let others = Set(scene.files).subtracting([path]).filter { file in
      folders.contains { file.hasPrefix($0) }
    }
    let stamps = [main] + others.sorted().map(FileStamp.init(path:))
    state.withLock { state in
      Self.remove(path, from: &state)
      state.entries[path] = Entry(stamps: stamps, scene: scene)
      state.order.append(path)
      state.bytes += scene.data.count
      while state.order.count > capacity || state.bytes > maximumBytes,
        let oldest = state.order.first
      {
        Self.remove(oldest, from: &state)
      }
    }
  }

  var count: Int { state.withLock { $0.entries.count } }

  private static func remove(_ path: String, from state: inout State) {
    guard let entry = state.entries.removeValue(forKey: path) else { return }
    state.order.removeAll { $0 == path }
    state.bytes -= entry.scene.data.count
  }
}

extension SceneCache {
  /// The document of the model in `file`, from the cache when its files are unchanged, else
  /// from a tau worker (and kept).
  func document(file: String, project: URL, renderer: ModelWorkerClient) async throws
    -> EncodedScene
  {
    if let cached = try await BlockingIO.run({ self.scene(for: file) }) { return cached }
    let main = try await BlockingIO.run { FileStamp(path: file) }
    let scene = try await renderer.scene(.file(path: file, confinedTo: project.path))
    try await BlockingIO.run { self.store(scene, for: file, main: main, project: project) }
    return scene
  }

  /// A stream whose 3D views learn their model's epoch from this cache's documents.
  func epochs(for stream: EpisodeStream, renderer: ModelWorkerClient) -> EpisodeStream {
    var stream = stream
    stream.sceneEpoch = { [self] source in
      guard case .file(let path, let root?) = source else { return nil }
      return try? await document(
        file: path, project: URL(fileURLWithPath: root), renderer: renderer
      ).epoch
    }
    return stream
  }
}
