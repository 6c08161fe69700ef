import Foundation
import Projects
import Synchronization
import Workers

/// One run being recorded.
///
/// Steps are appended from the episode's actor, so the writes go to a serial queue of the
/// recording's own rather than blocking the cooperative pool; `finish` waits for them.
/// They go in batches, a tenth of a second's at a time: a live episode's 60 steps a second
/// would otherwise wake the queue's thread 60 times, which costs more than the writing.
/// A batch is handed to the queue by the step that finds it old enough, not by a timer of its
/// own: arming one per batch woke libdispatch's timer thread twice a batch. One slow timer,
/// for the whole run, writes what a paused episode left waiting.
///
/// Unchecked Sendable: after `init`, the mutable fields and the file handles are touched only
/// on `queue`, a serial queue (see below); the steps waiting are inside `pending`'s lock.
final class RunRecording: @unchecked Sendable {
  /// The largest state recorded (doubles per step): far above any robot's qpos + qvel + act.
  static let maximumStateSize = 1_000_000
  /// The most a run's states and telemetry may take on disk (and in memory when read back).
  static let maximumBytes = 256 * 1024 * 1024

  static let statesFile = "states.f64"
  static let telemetryFile = "telemetry.jsonl"
  static let infoFile = "run.json"

  private let runs: ProjectRuns
  private var info: RunInfo
  private let states: FileHandle
  private let telemetry: FileHandle
  private let maximumSteps: Int
  private var recorded = 0
  private var bytes = 0
  /// Owns every field below the constants once `init` returns.
  private let queue = DispatchQueue(label: "tau.run-recording")
  /// Steps appended and not yet written, oldest first, and when the first of them came.
  private let pending = Mutex(Batch())
  /// Writes what waits once a second, whatever the steps do; cancelled when the run closes.
  private let idleWriter: DispatchSourceTimer
  static let batchAge: Duration = .milliseconds(100)
  static let idleWriteInterval = DispatchTimeInterval.seconds(1)

  private struct Batch {
    var steps: [(telemetry: StepTelemetry, state: [Double])] = []
    var since: ContinuousClock.Instant?
    /// Handed to the queue already: later steps join it until it is written.
    var handedOver = false
  }

  /// A recording into the run's files, just created (`ProjectRuns.create`).
  init(
    runs: ProjectRuns, info: RunInfo, states: FileHandle, telemetry: FileHandle, maximumSteps: Int
  ) throws {
    self.runs = runs
    self.info = info
    self.states = states
    self.telemetry = telemetry
    self.maximumSteps = maximumSteps
    idleWriter = DispatchSource.makeTimerSource(queue: queue)
    idleWriter.schedule(
      deadline: .now() + Self.idleWriteInterval, repeating: Self.idleWriteInterval,
      leeway: .milliseconds(250))
    idleWriter.setEventHandler { [weak self] in self?.writePending() }
    // Resumed before anything may throw: libdispatch aborts when a source never resumed is
    // released, as `deinit` would release it.
    idleWriter.resume()
    try write()
  }

  deinit { idleWriter.cancel() }

  func append(telemetry entry: StepTelemetry, state: [Double]) {
    let now = ContinuousClock.now
    let due = pending.withLock { batch in
      batch.steps.append((entry, state))
      let since = batch.since ?? now
      batch.since = since
      guard !batch.handedOver, now - since >= Self.batchAge else { return false }
      batch.handedOver = true
      return true
    }
    if due { queue.async { self.writePending() } }
  }

  /// Writes the steps waiting; on `queue`.
  private func writePending() {
    let steps = pending.withLock { batch in
      defer { batch = Batch() }
      return batch.steps
    }
    for step in steps { write(telemetry: step.telemetry, state: step.state) }
  }

  private func write(telemetry entry: StepTelemetry, state: [Double]) {
    guard recorded < maximumSteps else { return }
    guard !state.isEmpty, state.count <= Self.maximumStateSize else { return }
    if info.stateSize == nil { info.stateSize = state.count }
    guard state.count == info.stateSize else { return }
    // The stream's own text of the step (a Codable encoder costs more than the step).
    let line = Data(entry.line.utf8)
    // A run that outgrows its budget (huge observations, very long episodes) stops recording
    // there; the episode goes on.
    let size = state.count * 8 + line.count + 1
    guard bytes + size <= Self.maximumBytes else { return }
    bytes += size
    state.withUnsafeBytes { states.write(Data($0)) }
    telemetry.write(line + Data("\n".utf8))
    recorded += 1
  }

  /// Writes the summary once every appended step is on disk; blocks, so call it off the pool.
  func finish(summary: EpisodeSummary) {
    queue.sync {
      writePending()
      close(summary: summary)
    }
  }

  private func close(summary: EpisodeSummary) {
    idleWriter.cancel()
    info.steps = summary.steps
    info.totalReward = summary.totalReward
    info.reason = summary.reason
    try? states.close()
    try? telemetry.close()
    try? write()
  }

  private func write() throws {
    do {
      try runs.write(JSONEncoder().encode(info), to: Self.infoFile, of: info.id)
    } catch let error as RunStorageError {
      throw RunError.damaged(info.id, "cannot write its \(Self.infoFile): \(error)")
    }
  }
}
