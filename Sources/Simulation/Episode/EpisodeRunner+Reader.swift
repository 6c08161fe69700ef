import Foundation
import Projects
import Workers

extension EpisodeRunner {
  /// Turns the worker's messages into items for `put` (the renderer's mailbox, or the
  /// client itself when nothing is rendered), in the worker's order, and notes how the
  /// episode ended. Logs travel with the states, so they reach the client in their place
  /// among the frames.
  func readWorker(
    _ worker: ReadyWorker, project: URL, episode: EpisodeState,
    put: (FrameMailbox.Item) async -> Void
  ) async {
    var pace = RealTimeFactor()
    var started = false
    for await frame in worker.process.frames {
      let message: PythonWorkerMessage
      do {
        message = try PythonWorkerMessage(frame: frame)
      } catch {
        logger.debug("python worker: \(error)")
        continue
      }
      switch message {
      case .hello:
        logger.debug("python worker said hello twice")
      case .log(let level, let text):
        await put(.log(level: level, message: text))
      case .started(let start):
        // The worker runs the project's code: one start per episode, and a model path
        // inside the project, or nothing is recorded or rendered for it.
        guard !started, (try? SafePath(start.xmlPath)) != nil else {
          await put(
            .log(
              level: .error, message: "ignored a second start or a model path outside the project"
            ))
          continue
        }
        started = true
        await begin(start, project: project, episode: episode)
        await put(.started(start))
        // One log, as the original's: what isolates the episode is said in the same line.
        await put(
          .log(
            level: .info,
            message:
              "episode started (\(start.entry ?? start.xmlPath)); \(sandboxDescription(start.sandbox))"
          ))
      case .state(let report):
        let telemetry = StepTelemetry(
          step: report.step, reward: report.reward, totalReward: report.totalReward,
          simTime: report.time, realTimeFactor: pace.next(simTime: report.time),
          obs: report.obs, action: report.action)
        // A state moved by a paused drag is shown, not recorded: it is no new step.
        if !report.moved { await episode.record(telemetry: telemetry, state: report.state) }
        await put(.state(report.state, telemetry, poses: report.poses))
      case .done(let reason, let steps, let totalReward):
        if reason == .finished, let steps, steps > 0 {
          // As the original says it: the index of the step whose `step()` said done.
          await put(.log(level: .info, message: "done at step \(steps - 1)"))
        }
        await episode.finish(reason: reason, steps: steps, totalReward: totalReward)
        worker.process.closeInput()
        return
      }
    }
    // The stream ended without `done`: the worker died (or was stopped).
    let status = await worker.process.waitForExit()
    await episode.workerDied(status: status, stderr: worker.process.recentStderr, limits: limits)
  }

  /// The worker named its model: compile it and set up rendering in a tau worker while
  /// the python worker resets and takes its first step, and open the run's recording.
  private func begin(_ start: EpisodeStart, project: URL, episode: EpisodeState) async {
    let model = ModelSource.file(
      path: project.appendingPathComponent(start.xmlPath).path, confinedTo: project.path)
    var preparation: Task<Void, Never>?
    if episode.settings.renderFrames {
      let renderer = renderer
      let options = episode.settings.renderOptions
      preparation = Task { try? await renderer.prepare(model, options: options) }
    }
    var recording: RunRecording?
    if let recordings {
      let settings = episode.settings
      let xmlPath = start.xmlPath
      recording = try? await BlockingIO.run {
        try recordings.begin(project: project, xmlPath: xmlPath, settings: settings)
      }
    }
    await episode.start(
      model: model, xmlPath: start.xmlPath, recording: recording, preparation: preparation)
  }

  /// One log line on what isolates this episode, so the user knows.
  private func sandboxDescription(_ report: SandboxReport) -> String {
    var parts: [String] = []
    if let cpu = report.cpuSeconds { parts.append("CPU \(cpu) s") }
    parts.append("wall clock \(Int(limits.wallSeconds)) s")
    if let memory = report.memoryMB { parts.append("memory \(memory) MB") }
    let limitsText = "limits: " + parts.joined(separator: ", ")
    guard limits.sandbox else { return "sandbox off; " + limitsText }
    let network = report.network ?? "unknown"
    let files =
      supply.launcher.bubblewrap != nil
      ? "only this project's files visible (bubblewrap)"
      : "files not isolated (install bubblewrap)"
    return "sandbox on: network \(network); \(files); " + limitsText
  }
}

/// Simulated seconds per wall second between consecutive states.
struct RealTimeFactor {
  private var lastSimTime = 0.0
  private var lastWall = Date()

  mutating func next(simTime: Double, now: Date = Date()) -> Double {
    let wall = now.timeIntervalSince(lastWall)
    let factor = wall > 0 && simTime >= lastSimTime ? (simTime - lastSimTime) / wall : 0
    lastSimTime = simTime
    lastWall = now
    return factor
  }
}
