import ArgumentParser
import Foundation
import Rendering
import Simulation
import Workers

/// `tau run PROJECT_DIR`: a headless episode of a project, as the IDE would
/// run it, with a progress bar and a summary.
struct Run: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run a project's episode headless and print a summary.")

  @Argument(help: "The project folder (env.py and its scene).")
  var project: String

  @Option(help: "Control steps at most (1...100000).")
  var steps = 1000

  @Option(help: "Control steps per simulated second (1...240).")
  var fps = 30

  @Option(help: "Also write the episode as an MP4 video.")
  var video: String?

  @Flag(help: "Print the summary as JSON.")
  var json = false

  @Flag(help: "Run the env sandboxed (network cut, limits), as in multi-user mode.")
  var sandbox = false

  @OptionGroup var gl: GLOptions

  func validate() throws {
    guard EpisodeSettings.stepRange.contains(steps) else {
      throw ValidationError("--steps must be within 1...100000")
    }
    guard EpisodeSettings.fpsRange.contains(fps) else {
      throw ValidationError("--fps must be within 1...240")
    }
  }

  func run() async throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: project, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      FileHandle.standardError.write(Data("tau run: \(project) is not a folder\n".utf8))
      throw ExitCode(1)
    }
    guard let root = InstallPaths.root() else {
      FileHandle.standardError.write(
        Data("tau run: cannot find python/tau_env_worker.py; set TAU_HOME\n".utf8))
      throw ExitCode(1)
    }
    let projectURL = URL(fileURLWithPath: project).standardizedFileURL
    let environment = ProcessInfo.processInfo.environment
    var limits = EpisodeLimits(environment: environment, multiUser: false)
    limits.sandbox = limits.sandbox || sandbox
    let platform = try gl.platform()
    let pool = WorkerLauncher.pool(platform: platform, maximumWorkers: 1)
    let renderer = ModelWorkerClient(pool: pool)
    let supply = PythonWorkerSupply(
      launcher: PythonWorkerLauncher(
        installRoot: root, projectsRoot: projectURL.deletingLastPathComponent()),
      warmCount: 0)
    let recordings = RunRecordings()
    let runner = EpisodeRunner(
      supply: supply, renderer: renderer, limits: limits, recordings: recordings)

    var settings = EpisodeSettings()
    settings.maxSteps = steps
    settings.fps = fps
    settings.speed = 0
    settings.renderFrames = false
    let progress = RunProgress(maxSteps: steps, quiet: json)
    let (controls, _) = AsyncStream.makeStream(of: EpisodeControl.self)
    let summary = await runner.run(
      project: projectURL, settings: settings, controls: controls
    ) { event in progress.show(event) }
    progress.end()

    var videoError: String?
    if let video, summary.steps > 0 {
      do {
        try await exportVideo(
          recordings: recordings, project: projectURL, renderer: renderer, to: video)
      } catch {
        videoError = String(describing: error)
      }
    }
    await pool.shutdown()
    report(summary, videoError: videoError)
    if summary.reason == .error || videoError != nil { throw ExitCode(1) }
  }

  /// Renders every recorded state of the run just played into an MP4.
  private func exportVideo(
    recordings: RunRecordings, project: URL, renderer: ModelWorkerClient, to path: String
  ) async throws {
    guard let run = recordings.list(project: project).first else {
      throw VideoError("the run was not recorded")
    }
    let states = try recordings.states(project: project, run: run.id)
    try await VideoExporter(renderer: renderer).export(
      states: states, model: .file(path: project.appendingPathComponent(run.xmlPath).path),
      options: RenderOptions(width: 640, height: 480, quality: .fast), fps: fps,
      to: URL(fileURLWithPath: path))
  }

  private func report(_ summary: EpisodeSummary, videoError: String?) {
    let stepsPerSecond = summary.wallSeconds > 0 ? Double(summary.steps) / summary.wallSeconds : 0
    if json {
      var object: [String: JSONValue] = [
        "steps": .number(Double(summary.steps)), "total_reward": .number(summary.totalReward),
        "reason": .string(summary.reason.rawValue), "wall_seconds": .number(summary.wallSeconds),
        "steps_per_second": .number(stepsPerSecond),
      ]
      if let video { object["video"] = .string(video) }
      if let videoError { object["video_error"] = .string(videoError) }
      let data = (try? JSONEncoder.sortedPretty.encode(object)) ?? Data()
      print(String(decoding: data, as: UTF8.self))
      return
    }
    print(
      """
      steps:        \(summary.steps)
      total reward: \(String(format: "%.4f", summary.totalReward))
      ended:        \(summary.reason)
      wall time:    \(String(format: "%.2f", summary.wallSeconds)) s (\(String(format: "%.0f", stepsPerSecond)) steps/s)
      """)
    if let video, videoError == nil { print("video:        \(video)") }
    if let videoError { FileHandle.standardError.write(Data("video failed: \(videoError)\n".utf8)) }
  }
}
