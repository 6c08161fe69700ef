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
/// speed... to the worker. The server only relays; nothing here blocks.
public struct EpisodeRunner: Sendable {
  public let supply: PythonWorkerSupply
  public let renderer: ModelWorkerClient
  public let limits: EpisodeLimits
  public let recordings: RunRecordings?
  private let logger = Logger(label: "tau.episode")

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
  @discardableResult
  public func run(
    project: URL, settings: EpisodeSettings, controls: AsyncStream<EpisodeControl>,
    emit: @escaping Emit
  ) async -> EpisodeSummary {
    let started = Date()
    let worker: ReadyWorker
    do {
      worker = try await supply.take(project: project, sandbox: limits.sandbox)
    } catch {
      try? await emit(.log(level: "error", message: "could not start the python worker: \(error)"))
      try? await emit(.done(totalReward: 0, reason: "error", steps: 0))
      return EpisodeSummary(steps: 0, totalReward: 0, reason: "error", wallSeconds: 0)
    }
    let episode = EpisodeState(settings: settings)
    do {
      try await worker.process.send(job(project: project, settings: settings))
    } catch {
      worker.process.kill()
    }

    await withTaskGroup(of: EpisodeTask.self) { group in
      // Headless runs keep every state; viewers get every frame (rendering paces the
      // worker), or with `latest` the newest.
      let mailbox = FrameMailbox(
        capacity: settings.renderFrames ? 2 : Int.max, lossless: !settings.latest)
      group.addTask {
        await readWorker(worker, project: project, episode: episode, mailbox: mailbox)
        await mailbox.finish()
        return .reader
      }
      group.addTask {
        await renderFrames(mailbox: mailbox, episode: episode, worker: worker, emit: emit)
        // Whatever ended the renderer, the reader must not wait on it any more.
        await mailbox.finish()
        return .renderer
      }
      group.addTask {
        for await control in controls {
          if case .camera(let camera) = control {
            await episode.setCamera(camera)
          } else if let frame = control.workerFrame {
            if control == .reset { await mailbox.clear() }
            try? await worker.process.send(frame)
          }
        }
        return .relay
      }
      group.addTask {
        // The wall-clock limit, enforced here since user code may ignore signals.
        try? await Task.sleep(for: .seconds(limits.wallSeconds))
        if !Task.isCancelled {
          await episode.fail(
            "the episode ran past the wall-clock limit of \(Int(limits.wallSeconds)) s and was stopped"
          )
          worker.process.kill()
        }
        return .watchdog
      }
      // The reader and the renderer end the episode; then stop the relay and the watchdog.
      // (The relay may end first, when the client leaves: never cancel the renderer
      // mid-render for that; it ends by itself once the worker has stopped.)
      var running: Set<EpisodeTask> = [.reader, .renderer]
      while !running.isEmpty, let finished = await group.next() {
        running.remove(finished)
      }
      group.cancelAll()
    }
    worker.process.kill()

    let outcome = await episode.outcome
    for message in outcome.errors {
      try? await emit(.log(level: "error", message: message))
    }
    try? await emit(
      .done(totalReward: outcome.totalReward, reason: outcome.reason, steps: outcome.steps))
    let summary = EpisodeSummary(
      steps: outcome.steps, totalReward: outcome.totalReward, reason: outcome.reason,
      wallSeconds: Date().timeIntervalSince(started), xmlPath: outcome.xmlPath)
    if let recording = outcome.recording {
      // Closing and writing the run's files blocks: not on the cooperative pool.
      _ = try? await BlockingIO.run { recording.finish(summary: summary) }
    }
    return summary
  }

  private func job(project: URL, settings: EpisodeSettings) -> Frame {
    var limitFields: [String: JSONValue] = ["fsize_mb": .number(Double(limits.fileSizeMB))]
    limitFields["cpu_s"] = limits.cpuSeconds.map { .number(Double($0)) } ?? .null
    limitFields["mem_mb"] = limits.memoryMB.map { .number(Double($0)) } ?? .null
    return Frame(
      "job",
      [
        "project_dir": .string(project.standardizedFileURL.path),
        "max_steps": .number(Double(settings.maxSteps)), "fps": .number(Double(settings.fps)),
        "speed": .number(settings.speed), "paused": .bool(settings.paused),
        "limits": .object(limitFields), "sandbox": .bool(limits.sandbox),
      ])
  }

  /// Turns the worker's frames into the mailbox's items, in the worker's order, and
  /// notes how the episode ended. It never talks to the client itself, so logs reach
  /// the client in their place among the frames.
  private func readWorker(
    _ worker: ReadyWorker, project: URL, episode: EpisodeState, mailbox: FrameMailbox
  ) async {
    var lastSimTime = 0.0
    var lastWall = Date()
    var started = false
    for await frame in worker.process.frames {
      switch frame.type {
      case "log":
        await mailbox.put(
          .log(
            level: frame["level"]?.stringValue ?? "info",
            message: frame["message"]?.stringValue ?? ""))
      case "started":
        // The worker runs the project's code: one start per episode, and a model path
        // inside the project, or nothing is recorded or rendered for it.
        let xmlPath = frame["xml_path"]?.stringValue ?? "scene.xml"
        guard !started, (try? SafePath(xmlPath)) != nil else {
          await mailbox.put(
            .log(
              level: "error", message: "ignored a second start or a model path outside the project"
            ))
          continue
        }
        started = true
        let model = ModelSource.file(
          path: project.appendingPathComponent(xmlPath).path, confinedTo: project.path)
        var preparation: Task<Void, Never>?
        if episode.settings.renderFrames {
          // Compile and set up rendering while the worker resets and takes its first step.
          let renderer = renderer
          let options = episode.settings.renderOptions
          preparation = Task { try? await renderer.prepare(model, options: options) }
        }
        var recording: RunRecording?
        if let recordings {
          let settings = episode.settings
          recording = try? await BlockingIO.run {
            try recordings.begin(project: project, xmlPath: xmlPath, settings: settings)
          }
        }
        await episode.start(
          model: model, xmlPath: xmlPath, recording: recording, preparation: preparation)
        let entry = frame["entry"]?.stringValue ?? xmlPath
        // One log, as the original's: what isolates the episode is said in the same line.
        await mailbox.put(
          .log(
            level: "info",
            message: "episode started (\(entry)); \(sandboxDescription(frame["sandbox"]))"))
      case "state":
        let now = Date()
        let simTime = frame["time"]?.doubleValue ?? 0
        let wall = now.timeIntervalSince(lastWall)
        let telemetry = StepTelemetry(
          step: frame["step"]?.intValue ?? 0, reward: frame["reward"]?.doubleValue ?? 0,
          totalReward: frame["total_reward"]?.doubleValue ?? 0, simTime: simTime,
          realTimeFactor: wall > 0 && simTime >= lastSimTime ? (simTime - lastSimTime) / wall : 0,
          obs: frame["obs"]?.arrayValue?.compactMap(\.doubleValue),
          action: frame["action"]?.arrayValue?.compactMap(\.doubleValue))
        lastSimTime = simTime
        lastWall = now
        let state = frame.doubles
        await episode.record(telemetry: telemetry, state: state)
        await mailbox.put(.state(state, telemetry))
      case "done":
        let reason = frame["reason"]?.stringValue ?? "finished"
        let steps = frame["steps"]?.intValue
        if reason == "finished", let steps, steps > 0 {
          // As the original says it: the index of the step whose `step()` said done.
          await mailbox.put(.log(level: "info", message: "done at step \(steps - 1)"))
        }
        await episode.finish(
          reason: reason, steps: steps, totalReward: frame["total_reward"]?.doubleValue)
        worker.process.closeInput()
        return
      default:
        logger.debug("python worker sent an unknown frame \(frame.type)")
      }
    }
    // The stream ended without `done`: the worker died (or was stopped).
    let status = await worker.process.waitForExit()
    await episode.workerDied(status: status, stderr: worker.process.recentStderr, limits: limits)
  }

  /// One log line on what isolates this episode, so the user knows.
  private func sandboxDescription(_ report: JSONValue?) -> String {
    let fields = report?.objectValue ?? [:]
    var parts: [String] = []
    if let cpu = fields["cpu_s"]?.intValue { parts.append("CPU \(cpu) s") }
    parts.append("wall clock \(Int(limits.wallSeconds)) s")
    if let memory = fields["mem_mb"]?.intValue { parts.append("memory \(memory) MB") }
    let limitsText = "limits: " + parts.joined(separator: ", ")
    guard limits.sandbox else { return "sandbox off; " + limitsText }
    let network = fields["network"]?.stringValue ?? "unknown"
    let files =
      supply.launcher.bubblewrap != nil
      ? "only this project's files visible (bubblewrap)"
      : "files not isolated (install bubblewrap)"
    return "sandbox on: network \(network); \(files); " + limitsText
  }

  /// Emits the mailbox's items in order, rendering states as it goes. When the client
  /// is gone or rendering fails, the episode stops.
  private func renderFrames(
    mailbox: FrameMailbox, episode: EpisodeState, worker: ReadyWorker, emit: Emit
  ) async {
    let settings = episode.settings
    do {
      while let item = await mailbox.take() {
        switch item {
        case .log(let level, let message):
          try await emit(.log(level: level, message: message))
        case .state(let state, let telemetry):
          let frame = EpisodeFrame(telemetry: telemetry, jpeg: Data(), state: state)
          guard settings.renderFrames else {
            try await emit(.frame(frame))
            continue
          }
          guard !frame.isReset || settings.resetFrames,
            let (model, options) = await episode.renderTarget
          else { continue }
          await episode.awaitPreparation()
          let jpeg: Data
          do {
            jpeg = try await renderer.render(model, state: state, options: options)
          } catch {
            await episode.fail("rendering failed: \(error)")
            worker.process.kill()
            return
          }
          try await emit(.frame(EpisodeFrame(telemetry: telemetry, jpeg: jpeg, state: state)))
        }
      }
    } catch {
      // The client went away: stop simulating for nobody.
      await episode.finish(reason: "stopped", steps: nil, totalReward: nil)
      worker.process.kill()
    }
  }
}

/// The tasks that share an episode.
private enum EpisodeTask: Hashable, Sendable {
  case reader, renderer, relay, watchdog
}

/// How an episode ended.
public struct EpisodeSummary: Sendable, Codable, Equatable {
  public var steps: Int
  public var totalReward: Double
  public var reason: String
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
