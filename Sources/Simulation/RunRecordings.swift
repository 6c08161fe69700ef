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

  public init(keep: Int = 5, maximumSteps: Int = 100_000) {
    self.keep = keep
    self.maximumSteps = maximumSteps
  }

  static func folder(of project: URL) -> URL {
    project.appendingPathComponent(".tau/runs", isDirectory: true)
  }

  func begin(project: URL, xmlPath: String, settings: EpisodeSettings) throws -> RunRecording {
    let runs = Self.folder(of: project)
    try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
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
    let runs = Self.folder(of: project)
    let ids = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
    return ids.compactMap { try? info(project: project, run: $0) }.sorted { $0.id > $1.id }
  }

  public func info(project: URL, run: String) throws -> RunInfo {
    let data = try Data(
      contentsOf: try folder(project: project, run: run).appendingPathComponent("run.json"))
    return try JSONDecoder().decode(RunInfo.self, from: data)
  }

  public func telemetry(project: URL, run: String) throws -> [StepTelemetry] {
    let url = try folder(project: project, run: run).appendingPathComponent("telemetry.jsonl")
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.split(separator: "\n").map {
      try JSONDecoder().decode(StepTelemetry.self, from: Data($0.utf8))
    }
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
    let handle = try FileHandle(
      forReadingFrom: try folder(project: project, run: run).appendingPathComponent("states.f64"))
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
    let data = try Data(
      contentsOf: try folder(project: project, run: run).appendingPathComponent("states.f64"))
    let values = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    return stride(from: 0, to: values.count - size + 1, by: size).map {
      Array(values[$0..<$0 + size])
    }
  }

  func folder(project: URL, run: String) throws -> URL {
    guard run.count == 20, run.allSatisfy({ $0.isNumber || $0 == "-" }) else {
      throw RunError.unknown(run)
    }
    let folder = Self.folder(of: project).appendingPathComponent(run, isDirectory: true)
    guard FileManager.default.fileExists(atPath: folder.path) else { throw RunError.unknown(run) }
    return folder
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

/// What is known of a recorded run.
public struct RunInfo: Codable, Sendable, Equatable {
  public var id: String
  public var started: Double
  public var xmlPath: String
  public var fps: Int
  public var width: Int
  public var height: Int
  public var stateSize: Int?
  public var steps: Int
  public var totalReward: Double
  public var reason: String?

  enum CodingKeys: String, CodingKey {
    case id, started, fps, width, height, steps, reason
    case xmlPath = "xml_path"
    case stateSize = "state_size"
    case totalReward = "total_reward"
  }
}

public enum RunError: Error, CustomStringConvertible, Equatable {
  case unknown(String)
  case empty(String)

  public var description: String {
    switch self {
    case .unknown(let run): return "no run '\(run)' in this project"
    case .empty(let run): return "run '\(run)' recorded no states"
    }
  }
}

/// One run being recorded.
final class RunRecording: @unchecked Sendable {
  private let folder: URL
  private var info: RunInfo
  private let states: FileHandle
  private let telemetry: FileHandle
  private let maximumSteps: Int
  private var recorded = 0
  private let lock = NSLock()

  init(folder: URL, info: RunInfo, maximumSteps: Int) throws {
    self.folder = folder
    self.info = info
    self.maximumSteps = maximumSteps
    for name in ["states.f64", "telemetry.jsonl"] {
      FileManager.default.createFile(
        atPath: folder.appendingPathComponent(name).path, contents: nil)
    }
    states = try FileHandle(forWritingTo: folder.appendingPathComponent("states.f64"))
    telemetry = try FileHandle(forWritingTo: folder.appendingPathComponent("telemetry.jsonl"))
    try write()
  }

  func append(telemetry entry: StepTelemetry, state: [Double]) {
    lock.lock()
    defer { lock.unlock() }
    guard recorded < maximumSteps else { return }
    if info.stateSize == nil { info.stateSize = state.count }
    guard state.count == info.stateSize, let line = try? JSONEncoder().encode(entry) else { return }
    state.withUnsafeBytes { states.write(Data($0)) }
    telemetry.write(line + Data("\n".utf8))
    recorded += 1
  }

  func finish(summary: EpisodeSummary) {
    lock.lock()
    defer { lock.unlock() }
    info.steps = summary.steps
    info.totalReward = summary.totalReward
    info.reason = summary.reason
    try? states.close()
    try? telemetry.close()
    try? write()
  }

  private func write() throws {
    try JSONEncoder().encode(info).write(
      to: folder.appendingPathComponent("run.json"), options: .atomic)
  }
}
