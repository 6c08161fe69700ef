import Foundation
import Workers

/// An episode run without a viewer, as fast as possible, for snapshots,
/// filmstrips and `tau run`: collects every state and the outcome.
public struct HeadlessEpisode: Sendable {
  public let runner: EpisodeRunner

  public init(runner: EpisodeRunner) { self.runner = runner }

  public struct Result: Sendable {
    public var summary: EpisodeSummary
    public var states: [[Double]]
    public var telemetry: [StepTelemetry]
    public var logs: [(level: LogLevel, message: String)]
    /// The project-relative model file the env used.
    public var xmlPath: String?
    public var errors: [String] { logs.filter { $0.level == .error }.map(\.message) }
  }

  public func run(project: URL, steps: Int, fps: Int = 30) async -> Result {
    var settings = EpisodeSettings()
    settings.maxSteps = steps
    settings.fps = fps
    settings.speed = 0
    settings.renderFrames = false
    let collector = Collector()
    let (controls, relay) = AsyncStream.makeStream(of: EpisodeControl.self)
    // A cancelled caller (an MCP client that cancels, a chat client that left) stops the
    // episode; its worker ends as for any stopped episode.
    let summary = await withTaskCancellationHandler {
      await runner.run(project: project, settings: settings, controls: controls) {
        event in await collector.add(event)
      }
    } onCancel: {
      relay.yield(.stop)
    }
    relay.finish()
    return await collector.result(summary)
  }

  /// Keeps every state and log the runner emits.
  actor Collector {
    var telemetry: [StepTelemetry] = []
    var states: [[Double]] = []
    var logs: [(level: LogLevel, message: String)] = []

    func add(_ event: StreamEvent) {
      switch event {
      case .frame(let frame):
        telemetry.append(frame.telemetry)
        states.append(frame.state)
      case .log(let level, let message): logs.append((level, message))
      case .done, .started: break
      }
    }

    func result(_ summary: EpisodeSummary) -> Result {
      Result(
        summary: summary, states: states, telemetry: telemetry, logs: logs, xmlPath: summary.xmlPath
      )
    }
  }
}
