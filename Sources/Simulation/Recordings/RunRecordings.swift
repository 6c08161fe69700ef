import Foundation
import Projects

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

  func begin(project: URL, xmlPath: String, settings: EpisodeSettings) throws -> RunRecording {
    let runs = ProjectRuns(project: project)
    let id = Self.newID()
    let files: [FileHandle]
    do {
      files = try runs.create(id, files: [RunRecording.statesFile, RunRecording.telemetryFile])
    } catch let error as RunStorageError {
      throw RunError.damaged(id, "cannot be created: \(error)")
    }
    let info = RunInfo(
      id: id, started: Date().timeIntervalSince1970, xmlPath: xmlPath, fps: settings.fps,
      width: settings.width, height: settings.height, stateSize: nil, steps: 0, totalReward: 0,
      reason: nil)
    let recording = try RunRecording(
      runs: runs, info: info, states: files[0], telemetry: files[1], maximumSteps: maximumSteps)
    prune(runs)
    return recording
  }

  /// Runs of `project`, newest first.
  public func list(project: URL) -> [RunInfo] {
    ProjectRuns(project: project).names().compactMap { try? info(project: project, run: $0) }
      .sorted { $0.id > $1.id }
  }

  public func info(project: URL, run: String) throws -> RunInfo {
    let data = try read(RunRecording.infoFile, project: project, run: run, limit: 64 * 1024)
    let info = try JSONDecoder().decode(RunInfo.self, from: data).validated()
    guard info.id == run else { throw RunError.damaged(run, "its run.json names another run") }
    return info
  }

  public func telemetry(project: URL, run: String) throws -> [StepTelemetry] {
    let data = try read(
      RunRecording.telemetryFile, project: project, run: run, limit: RunRecording.maximumBytes)
    let entries = try data.split(separator: UInt8(ascii: "\n")).map {
      try JSONDecoder().decode(StepTelemetry.self, from: Data($0))
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
    let handle = try storage(run, RunRecording.statesFile) {
      try ProjectRuns(project: project).open(RunRecording.statesFile, of: $0)
    }
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
    let data = try read(
      RunRecording.statesFile, project: project, run: run, limit: RunRecording.maximumBytes)
    let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return stride(from: 0, to: values.count - size + 1, by: size).map {
      Array(values[$0..<$0 + size])
    }
  }

  /// Whether `run` has the shape of the ids tau makes (the only names it reads).
  static func isRunID(_ run: String) -> Bool {
    run.count == 20 && run.allSatisfy { $0.isNumber || $0 == "-" }
  }

  /// One of a run's files, which must be a plain file (not a link) in a real run folder.
  private func read(_ file: String, project: URL, run: String, limit: Int) throws -> Data {
    try storage(run, file) { try ProjectRuns(project: project).read(file, of: $0, limit: limit) }
  }

  /// Maps the storage's failures: no such run folder is an unknown run, a missing or
  /// linked file a damaged one.
  private func storage<T>(_ run: String, _ file: String, _ body: (String) throws -> T) throws
    -> T
  {
    guard Self.isRunID(run) else { throw RunError.unknown(run) }
    do {
      return try body(run)
    } catch let error as RunStorageError {
      switch error {
      case .missing(let name) where name == file: throw RunError.damaged(run, "\(file) is missing")
      case .notAllowed(let name) where name == file:
        throw RunError.damaged(run, "\(file) is missing")
      case .tooLarge: throw RunError.damaged(run, "\(file) is too large")
      default: throw RunError.unknown(run)
      }
    }
  }

  private func prune(_ runs: ProjectRuns) {
    for id in runs.names().filter(Self.isRunID).sorted().dropLast(keep) { runs.remove(id) }
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
