import Foundation
import Logging
import Projects
import Workers

/// Runs one episode: a python worker simulates, tau workers render, and
/// events stream to the caller as they happen.
///
/// Three tasks share the episode: the reader turns the worker's frames
/// into logs, recordings and states to render; the renderer turns states
/// into JPEG frames; the control relay passes the client's pause, step,
/// speed... to the worker. With nothing to render (a 3D view, a headless
/// run) the reader sends each frame itself and there is no renderer. The
/// server only relays; nothing here blocks.
public struct EpisodeRunner: Sendable {
  public let supply: PythonWorkerSupply
  public let renderer: ModelWorkerClient
  public let limits: EpisodeLimits
  public let recordings: RunRecordings?
  let logger = Logger(label: "tau.episode")

  public init(
    supply: PythonWorkerSupply, renderer: ModelWorkerClient, limits: EpisodeLimits,
    recordings: RunRecordings? = nil
  ) {
    self.supply = supply
    self.renderer = renderer
    self.limits = limits
    self.recordings = recordings
  }

  public typealias Emit = @Sendable (StreamEvent) async throws -> Void

  /// Runs the episode of the project in `project` and returns how it ended.
  /// `emit` receives every event; when it throws (the client went away),
  /// the episode stops.
  ///
  /// `readerExecutor`, when given, runs the reader of an episode with nothing to render
  /// (and so each `emit` of its steps): a server passes the client's connection's event
  /// loop, where a step's messages are written anyway, so a step wakes no thread of the
  /// cooperative pool on the way from the worker's pipe to the socket.
  @discardableResult
  public func run(
    project: URL, settings: EpisodeSettings, controls: AsyncStream<EpisodeControl>,
    readerExecutor: (any TaskExecutor)? = nil, emit: @escaping Emit
  ) async -> EpisodeSummary {
    let started = Date()
    if let violation = await quotaViolation(project: project) {
      try? await emit(.log(level: .error, message: Self.overQuotaMessage(violation)))
      try? await emit(.done(totalReward: 0, reason: .error, steps: 0))
      return EpisodeSummary(steps: 0, totalReward: 0, reason: .error, wallSeconds: 0)
    }
    let worker: ReadyWorker
    do {
      worker = try await supply.take(project: project, sandbox: limits.sandbox)
    } catch {
      try? await emit(.log(level: .error, message: "could not start the python worker: \(error)"))
      try? await emit(.done(totalReward: 0, reason: .error, steps: 0))
      return EpisodeSummary(steps: 0, totalReward: 0, reason: .error, wallSeconds: 0)
    }
    let episode = EpisodeState(settings: settings)
    do {
      let job = EpisodeJob(project: project, settings: settings, limits: limits)
      try await worker.process.send(PythonWorkerRequest.job(job).frame)
    } catch {
      worker.process.kill()
    }

    // Viewers get every frame (rendering paces the worker), or with `latest` the newest.
    // Without rendering, the reader gives the client each item itself (no mailbox).
    let mailbox = FrameMailbox(capacity: 2, lossless: !settings.latest)
    let rendering = settings.renderFrames
    let stoppedForQuota = await withTaskGroup(of: EpisodeTask.self) { group in
      group.addTask(executorPreference: rendering ? nil : readerExecutor) {
        if rendering {
          await readWorker(worker, project: project, episode: episode) { await mailbox.put($0) }
        } else {
          // The executor's thread reads the worker's pipe too, when it can.
          if let reader = readerExecutor as? any WorkerOutputReader {
            worker.process.handOverOutput(to: reader)
          }
          await readUnrendered(worker, project: project, episode: episode, emit: emit)
        }
        await mailbox.finish()
        return .reader
      }
      if rendering {
        group.addTask {
          await renderFrames(mailbox: mailbox, episode: episode, worker: worker, emit: emit)
          // Whatever ended the renderer, the reader must not wait on it any more.
          await mailbox.finish()
          return .renderer
        }
      }
      group.addTask {
        for await control in controls {
          if case .camera(let camera) = control {
            await episode.setCamera(camera)
          } else if let request = control.workerRequest {
            if control == .reset { await mailbox.clear() }
            try? await worker.process.send(request.frame)
          }
        }
        return .relay
      }
      group.addTask {
        // The wall-clock limit, enforced here since user code may ignore signals.
        try? await Task.sleep(for: .seconds(limits.wallSeconds))
        guard !Task.isCancelled else { return .watchdog }
        await episode.fail(
          "the episode ran past the wall-clock limit of \(Int(limits.wallSeconds)) s and was stopped"
        )
        worker.process.kill()
        await mailbox.stop()
        return .limitReached
      }
      group.addTask {
        guard let violation = await watchQuota(project: project) else { return .quotaWatch }
        await episode.fail(Self.stoppedMessage(violation))
        worker.process.kill()
        await mailbox.stop()
        return .quotaReached
      }
      // The reader and the renderer end the episode; then stop the relay and the watchdogs.
      // (The relay may end first, when the client leaves: never cancel the renderer
      // mid-render for that; it ends by itself once the worker has stopped.) A limit ends
      // everything at once, a render or a wait for a render worker included.
      var running: Set<EpisodeTask> = rendering ? [.reader, .renderer] : [.reader]
      var quotaReached = false
      while !running.isEmpty, let finished = await group.next() {
        running.remove(finished)
        if finished == .limitReached || finished == .quotaReached { group.cancelAll() }
        quotaReached = quotaReached || finished == .quotaReached
      }
      group.cancelAll()
      return quotaReached
    }
    worker.process.kill()
    // What the worker said before a limit stopped the renderer still reaches the client.
    for log in await mailbox.remainingLogs() {
      try? await emit(.log(level: log.level, message: log.message))
    }

    var outcome = await episode.outcome
    // What the last seconds wrote: the project is measured once more.
    if !stoppedForQuota, let violation = await quotaViolation(project: project) {
      outcome.errors.append(Self.overQuotaMessage(violation))
    }
    for message in outcome.errors {
      try? await emit(.log(level: .error, message: message))
    }
    let summary = EpisodeSummary(
      steps: outcome.steps, totalReward: outcome.totalReward, reason: outcome.reason,
      wallSeconds: Date().timeIntervalSince(started), xmlPath: outcome.xmlPath)
    if let recording = outcome.recording {
      // Before `done`, so a client that lists the runs on `done` finds this one whole.
      // Closing and writing the run's files blocks: not on the cooperative pool.
      _ = try? await BlockingIO.run { recording.finish(summary: summary) }
    }
    try? await emit(
      .done(totalReward: outcome.totalReward, reason: outcome.reason, steps: outcome.steps))
    return summary
  }
}

/// The tasks that share an episode.
private enum EpisodeTask: Hashable, Sendable {
  case reader, renderer, relay, watchdog, quotaWatch
  /// The watchdog, when the wall-clock limit fired.
  case limitReached
  /// The quota's watch, when the project went over its quota.
  case quotaReached
}

/// How an episode ended.
public struct EpisodeSummary: Sendable, Codable, Equatable {
  public var steps: Int
  public var totalReward: Double
  public var reason: EndReason
  public var wallSeconds: Double
  /// The project-relative model file the env used (nil if it never started).
  public var xmlPath: String? = nil

  enum CodingKeys: String, CodingKey {
    case steps, reason
    case xmlPath = "xml_path"
    case totalReward = "total_reward"
    case wallSeconds = "wall_seconds"
  }
}
