import Foundation
import Workers

/// What the tasks of one episode share: the model to render, the camera,
/// the running totals and how the episode ended.
actor EpisodeState {
  struct Outcome {
    var steps: Int
    var totalReward: Double
    var reason: EndReason
    var errors: [String]
    var recording: RunRecording?
    var xmlPath: String?
  }

  let settings: EpisodeSettings
  private var model: ModelSource?
  private var xmlPath: String?
  private var camera: CameraChoice
  private var steps = 0
  private var totalReward = 0.0
  private var reason: EndReason?
  private var errors: [String] = []
  private var recording: RunRecording?
  /// Compiling and setting up the renderer in a tau worker, begun at the worker's start.
  private var preparation: Task<Void, Never>?

  init(settings: EpisodeSettings) {
    self.settings = settings
    camera = settings.camera
  }

  func start(
    model: ModelSource, xmlPath: String, recording: RunRecording?, preparation: Task<Void, Never>?
  ) {
    self.model = model
    self.xmlPath = xmlPath
    self.recording = recording
    self.preparation = preparation
  }

  /// Waits, once, for the renderer's preparation, so the first render goes to the
  /// worker that holds the model ready rather than compiling it in another.
  func awaitPreparation() async {
    guard let preparation else { return }
    self.preparation = nil
    // An episode stopped by its limit stops waiting, and its preparation stops too.
    await withTaskCancellationHandler {
      await preparation.value
    } onCancel: {
      preparation.cancel()
    }
  }

  func setCamera(_ camera: CameraChoice) { self.camera = camera }

  var renderTarget: (ModelSource, RenderOptions)? {
    guard let model else { return nil }
    var options = settings.renderOptions
    options.camera = camera
    return (model, options)
  }

  func record(telemetry: StepTelemetry, state: [Double]) {
    steps = telemetry.step
    totalReward = telemetry.totalReward
    recording?.append(telemetry: telemetry, state: state)
  }

  func finish(reason: EndReason, steps: Int?, totalReward: Double?) {
    if self.reason == nil { self.reason = reason }
    if let steps { self.steps = steps }
    if let totalReward { self.totalReward = totalReward }
  }

  /// An error of the server's own (limits, rendering); the episode ends with it.
  func fail(_ message: String) {
    errors.append(message)
    if reason == nil { reason = .error }
  }

  func workerDied(status: ExitStatus, stderr: String, limits: EpisodeLimits) {
    guard reason == nil else { return }
    var message = "the python worker stopped unexpectedly (\(status))"
    if status == .signaled(SIGXCPU) || status == .signaled(SIGKILL), let cpu = limits.cpuSeconds {
      message += "; it may have reached the CPU limit of \(cpu) s"
    }
    let tail = stderr.split(separator: "\n").suffix(5).joined(separator: "\n")
    if !tail.isEmpty { message += ":\n" + tail }
    fail(message)
  }

  var outcome: Outcome {
    Outcome(
      steps: steps, totalReward: totalReward, reason: reason ?? .stopped, errors: errors,
      recording: recording, xmlPath: xmlPath)
  }
}
