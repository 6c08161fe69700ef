import Foundation

/// The last runs of each project, kept on disk: states and telemetry, so a
/// finished run can be replayed, scrubbed, rendered again or exported
/// without simulating again.
///
/// A run lives in `<project>/.tau/runs/<run id>/`: `states.f64` (every
/// state, float64, one after another), `telemetry.jsonl` and `run.json`.
/// Only the newest `keep` runs of a project stay.
public struct RunRecordings: Sendable {
  public let keep: Int
  /// A run stops recording past this many steps (the episode goes on).
  public let maximumSteps: Int

  /// The largest step number a recording may hold.
  static let maximumStep = 1_000_000_000

  public init(keep: Int = 5, maximumSteps: Int = 100_000) {
    self.keep = keep
    self.maximumSteps = maximumSteps
  }

  /// `<project>/.tau/runs`, made when missing; nil when a link (or a file) stands in the way.
  static func realFolder(of project: URL, create: Bool) -> URL? {
    let meta = project.appendingPathComponent(".tau", isDirectory: true)
    let runs = meta.appendingPathComponent("runs", isDirectory: true)
    if create {
      return NoFollow.makeDirectory(meta) && NoFollow.makeDirectory(runs) ? runs : nil
    }
    return NoFollow.isDirectory(meta) && NoFollow.isDirectory(runs) ? runs : nil
  }

  func begin(project: URL, xmlPath: String, settings: EpisodeSettings) throws -> RunRecording {
    guard let runs = Self.realFolder(of: project, create: true) else {
      throw RunError.damaged("", "the project's .tau/runs is not a folder")
    }
    let id = Self.newID()
    let folder = runs.appendingPathComponent(id, isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    let info = RunInfo(
      id: id, started: Date().timeIntervalSince1970, xmlPath: xmlPath, fps: settings.fps,
      width: settings.width, height: settings.height, stateSize: nil, steps: 0, totalReward: 0,
      reason: nil)
    let recording = try RunRecording(folder: folder, info: info, maximumSteps: maximumSteps)
    prune(runs)
    return recording
  }

  /// Runs of `project`, newest first.
  public func list(project: URL) -> [RunInfo] {
    guard let runs = Self.realFolder(of: project, create: false) else { return [] }
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
    return ids.compactMap { try? info(project: project, run: $0) }.sorted { $0.id > $1.id }
  }

  public func info(project: URL, run: String) throws -> RunInfo {
    let data = try Data(contentsOf: try file("run.json", project: project, run: run))
    let info = try JSONDecoder().decode(RunInfo.self, from: data).validated()
    guard info.id == run else { throw RunError.damaged(run, "its run.json names another run") }
    return info
  }

  public func telemetry(project: URL, run: String) throws -> [StepTelemetry] {
    let url = try file("telemetry.jsonl", project: project, run: run)
    let text = try String(contentsOf: url, encoding: .utf8)
    let entries = try text.split(separator: "\n").map {
      try JSONDecoder().decode(StepTelemetry.self, from: Data($0.utf8))
    }
    // Steps size arithmetic (nearest-step search): only what tau records is accepted.
    guard entries.allSatisfy({ (0...Self.maximumStep).contains($0.step) }) else {
      throw RunError.damaged(run, "its telemetry has steps out of range")
    }
    return entries
  }

  /// The state recorded at `step` (the recorded step nearest to it).
  public func state(project: URL, run: String, step: Int) throws -> (step: Int, state: [Double]) {
    let telemetry = try telemetry(project: project, run: run)
    let info = try info(project: project, run: run)
    guard let size = info.stateSize, size > 0, !telemetry.isEmpty else {
      throw RunError.empty(run)
    }
    let index =
      telemetry.indices.min { abs(telemetry[$0].step - step) < abs(telemetry[$1].step - step) } ?? 0
    let handle = try FileHandle(forReadingFrom: try file("states.f64", project: project, run: run))
    defer { try? handle.close() }
    try handle.seek(toOffset: UInt64(index * size * 8))
    let data = try handle.read(upToCount: size * 8) ?? Data()
    guard data.count == size * 8 else { throw RunError.empty(run) }
    let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return (telemetry[index].step, values)
  }

  /// Every recorded state in order, for video export.
  public func states(project: URL, run: String) throws -> [[Double]] {
    let info = try info(project: project, run: run)
    guard let size = info.stateSize, size > 0 else { throw RunError.empty(run) }
    let data = try Data(contentsOf: try file("states.f64", project: project, run: run))
    let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return stride(from: 0, to: values.count - size + 1, by: size).map {
      Array(values[$0..<$0 + size])
    }
  }

  func folder(project: URL, run: String) throws -> URL {
    guard run.count == 20, run.allSatisfy({ $0.isNumber || $0 == "-" }) else {
      throw RunError.unknown(run)
    }
    guard let runs = Self.realFolder(of: project, create: false) else {
      throw RunError.unknown(run)
    }
    let folder = runs.appendingPathComponent(run, isDirectory: true)
    guard NoFollow.isDirectory(folder) else { throw RunError.unknown(run) }
    return folder
  }

  /// One of a run's files, which must be a plain file (not a link) in a real run folder.
  private func file(_ name: String, project: URL, run: String) throws -> URL {
    let url = try folder(project: project, run: run).appendingPathComponent(name)
    guard NoFollow.isRegularFile(url) else { throw RunError.damaged(run, "\(name) is missing") }
    return url
  }

  private func prune(_ runs: URL) {
    let ids = ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).sorted()
    for id in ids.dropLast(keep) {
      try? FileManager.default.removeItem(at: runs.appendingPathComponent(id))
    }
  }

  /// Sortable by time: `yyyyMMdd-HHmmss-SSSnn` style digits.
  static func newID() -> String {
    let now = Date()
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd-HHmmss-SSS"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: now) + String(format: "%01d", Int.random(in: 0...9))
  }
}
