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

    await withTaskGroup(of: Void.self) { group in
      // Headless runs keep every state; viewers at speed 0 get every frame
      // (the worker waits for rendering); real-time viewers get the newest.
      let mailbox = FrameMailbox(
        capacity: settings.renderFrames ? 2 : Int.max,
        lossless: settings.renderFrames && settings.speed == 0)
      group.addTask {
        await readWorker(worker, project: project, episode: episode, mailbox: mailbox, emit: emit)
        await mailbox.finish()
      }
      group.addTask {
        await renderFrames(mailbox: mailbox, episode: episode, worker: worker, emit: emit)
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
      }
      // The reader and the renderer end the episode; then stop the relay and the watchdog.
      await group.next()
      await group.next()
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

  private func readWorker(
    _ worker: ReadyWorker, project: URL, episode: EpisodeState, mailbox: FrameMailbox,
    emit: Emit
  ) async {
    var lastSimTime = 0.0
    var lastWall = Date()
    var started = false
    do {
      for await frame in worker.process.frames {
        switch frame.type {
        case "log":
          try await emit(
            .log(
              level: frame["level"]?.stringValue ?? "info",
              message: frame["message"]?.stringValue ?? ""))
        case "started":
          // The worker runs the project's code: one start per episode, and a model path
          // inside the project, or nothing is recorded or rendered for it.
          let xmlPath = frame["xml_path"]?.stringValue ?? "scene.xml"
          guard !started, (try? SafePath(xmlPath)) != nil else {
            try await emit(
              .log(
                level: "error",
                message: "ignored a second start or a model path outside the project"))
            continue
          }
          started = true
          let model = ModelSource.file(
            path: project.appendingPathComponent(xmlPath).path, confinedTo: project.path)
          var recording: RunRecording?
          if let recordings {
            let settings = episode.settings
            recording = try? await BlockingIO.run {
              try recordings.begin(project: project, xmlPath: xmlPath, settings: settings)
            }
          }
          await episode.start(model: model, xmlPath: xmlPath, recording: recording)
          try await emit(.log(level: "info", message: "episode started"))
          try await emit(.log(level: "info", message: await sandboxDescription(frame["sandbox"])))
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
          await mailbox.put(FrameMailbox.Item(state: state, telemetry: telemetry))
        case "done":
          await episode.finish(
            reason: frame["reason"]?.stringValue ?? "finished",
            steps: frame["steps"]?.intValue, totalReward: frame["total_reward"]?.doubleValue)
          worker.process.closeInput()
          return
        default:
          logger.debug("python worker sent an unknown frame \(frame.type)")
        }
      }
      // The stream ended without `done`: the worker died.
      let status = await worker.process.waitForExit()
      await episode.workerDied(status: status, stderr: worker.process.recentStderr, limits: limits)
    } catch {
      // The client went away: stop simulating for nobody.
      await episode.finish(reason: "stopped", steps: nil, totalReward: nil)
      worker.process.kill()
    }
  }

  /// One log line on what isolates this episode, so the user knows.
  private func sandboxDescription(_ report: JSONValue?) async -> String {
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

  private func renderFrames(
    mailbox: FrameMailbox, episode: EpisodeState, worker: ReadyWorker, emit: Emit
  ) async {
    while let item = await mailbox.take() {
      guard episode.settings.renderFrames else {
        try? await emit(
          .frame(EpisodeFrame(telemetry: item.telemetry, jpeg: Data(), state: item.state)))
        continue
      }
      guard let (model, options) = await episode.renderTarget else { continue }
      do {
        let jpeg = try await renderer.render(model, state: item.state, options: options)
        try await emit(
          .frame(EpisodeFrame(telemetry: item.telemetry, jpeg: jpeg, state: item.state)))
      } catch let error as WorkerError {
        await episode.fail("rendering failed: \(error)")
        worker.process.kill()
        return
      } catch {
        // The client went away.
        worker.process.kill()
        return
      }
    }
  }
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
