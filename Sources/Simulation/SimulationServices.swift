import Foundation
import Workers

/// Everything the server needs to run, record and picture episodes, built
/// once at start: the python worker supply, the tau worker pool that
/// renders, admission, and the recordings.
public struct SimulationServices: Sendable {
  public var stream: EpisodeStream
  public let runner: EpisodeRunner
  public let renderer: ModelWorkerClient
  public let recordings: RunRecordings
  public let supply: PythonWorkerSupply
  public let pictures: EpisodePictures
  /// How large a video export may be.
  public var videoLimits = VideoLimits()
  /// The Menagerie catalog and its models (settings from the environment).
  public var menagerie: MenagerieWorker

  /// `projectPools`: sandboxed render workers, one project each (hosted servers); projects'
  /// models then never reach `renderPool`.
  public init(
    installRoot: URL, projectsRoot: URL, renderPool: WorkerPool, limits: EpisodeLimits,
    perSession: Int = 2, total: Int = 4, warmPythonWorkers: Int = 1,
    projectPools: ProjectWorkerPools? = nil
  ) {
    menagerie = MenagerieWorker(
      installRoot: installRoot, environment: ProcessInfo.processInfo.environment)
    supply = PythonWorkerSupply(
      launcher: PythonWorkerLauncher(installRoot: installRoot, projectsRoot: projectsRoot),
      warmCount: warmPythonWorkers)
    renderer = ModelWorkerClient(
      pool: renderPool, projectPools: projectPools, timeout: .seconds(30))
    recordings = RunRecordings()
    runner = EpisodeRunner(
      supply: supply, renderer: renderer, limits: limits, recordings: recordings)
    let scheduler = EpisodeScheduler(perSession: perSession, total: total)
    stream = EpisodeStream(runner: runner, scheduler: scheduler)
    pictures = EpisodePictures(runner: runner, scheduler: scheduler, renderer: renderer)
  }

  /// Starts the warm workers so the first Run does not wait for imports.
  public func warmUp() async {
    await supply.warmUp()
    // Sandboxed render workers start with their project; the shared pool is then idle.
    if renderer.projectPools == nil { await renderer.pool.warmUp() }
  }

  public func shutdown() async {
    await supply.shutdown()
    await renderer.pool.shutdown()
    await renderer.projectPools?.shutdown()
  }
}
