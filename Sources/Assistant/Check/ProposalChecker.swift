import Foundation
import Projects
import Simulation
import Workers

/// Checks proposals with the simulator before a user reads them: applied to a scratch copy
/// of the project (never to the project), the scene compiled by a tau worker, the env run
/// for `steps` control steps in a sandboxed python worker, and the project as it is and as
/// proposed compared over the same episodes.
public struct ProposalChecker: Sendable {
  public let store: ProjectStore
  /// Its own runner: sandboxed wherever bubblewrap exists (a model's code is untrusted even
  /// on a single-user server) and recording nothing into the project.
  public let runner: EpisodeRunner
  public let renderer: ModelWorkerClient

  public init(store: ProjectStore, simulation: SimulationServices) {
    self.store = store
    var limits = simulation.runner.limits
    limits.sandbox = limits.sandbox || SandboxMounts.bubblewrap != nil
    runner = EpisodeRunner(
      supply: simulation.supply, renderer: simulation.renderer, limits: limits,
      recordings: nil)
    renderer = simulation.renderer
  }

  /// What a check reports as it goes (for a streaming client).
  public typealias Progress = @Sendable (String) -> Void

  /// Checks `proposals` against the project `id` of `session`. Throws only when the project
  /// cannot be read; everything the simulator finds is in the report.
  public func check(
    session: SessionID, id: ProjectID, proposals: [Proposal], options: CheckOptions,
    progress: Progress = { _ in }
  ) async throws -> CheckReport {
    let store = store
    let files = try await store.run { try $0.files(session: session, id: id) }
    let scratch = try await store.run { try $0.makeScratchFolder() }
    defer { try? FileManager.default.removeItem(at: scratch) }
    let before = scratch.appendingPathComponent("before")
    let after = scratch.appendingPathComponent("after")
    try await BlockingIO.run {
      try Self.write(files, to: before)
      try Self.write(files, to: after)
      try Self.write(proposals.map { ($0.path, Data($0.newContent.utf8)) }, to: after)
    }
    progress("running the project as it is and as proposed (\(options.steps) steps)")
    let episodes = max(options.episodes, 1)
    async let beforeRuns = runs(before, count: options.episodes, steps: options.steps)
    async let afterRuns = runs(after, count: episodes, steps: options.steps)
    let (was, now) = await (beforeRuns, afterRuns)

    var errors: [CheckIssue] = []
    var warnings: [String] = []
    let smoke = now[0]
    let scene = smoke.xmlPath ?? was.first?.xmlPath ?? Self.defaultScene(files)
    if let scene {
      progress("compiling \(scene)")
      let (issues, notes) = await compile(scene, in: after)
      errors += issues
      warnings += notes
    }
    if errors.isEmpty { errors += Self.runIssues(smoke) }
    return CheckReport(
      ok: errors.isEmpty, errors: errors, warnings: warnings,
      before: was.isEmpty ? nil : BehaviourReport(episodes: await figures(was, in: before)),
      after: BehaviourReport(episodes: await figures(now, in: after)))
  }

  /// `count` headless episodes of `steps` steps.
  func runs(_ folder: URL, count: Int, steps: Int) async -> [HeadlessEpisode.Result] {
    var results: [HeadlessEpisode.Result] = []
    for _ in 0..<count {
      results.append(await HeadlessEpisode(runner: runner).run(project: folder, steps: steps))
    }
    return results
  }

  /// The scene's compile errors (with file and line when MuJoCo names them) and warnings.
  func compile(_ scene: String, in folder: URL) async -> ([CheckIssue], [String]) {
    let source = ModelSource.file(
      path: folder.appendingPathComponent(scene).path, confinedTo: folder.path)
    do {
      let summary = try await renderer.load(source)
      return ([], summary.warnings.map { ProjectRelativeText.make($0, project: folder.path) })
    } catch WorkerError.failed(let failure) {
      let message = ProjectRelativeText.make(failure.message, project: folder.path)
      let file = failure.file.map { ProjectRelativeText.make($0, project: folder.path) }
      return (
        [CheckIssue(stage: .scene, message: message, file: file ?? scene, line: failure.line)], []
      )
    } catch {
      return ([CheckIssue(stage: .scene, message: "\(error)", file: scene)], [])
    }
  }

  /// What went wrong in the smoke run: the env's errors (file and line from the worker's
  /// `file:line: message`), a wrong action shape, a non-finite state.
  static func runIssues(_ result: HeadlessEpisode.Result) -> [CheckIssue] {
    var issues = result.errors.map(issue(fromLog:))
    if let step = result.states.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
      issues.append(
        CheckIssue(stage: .run, message: "the state became NaN or infinite at step \(step)"))
    }
    return issues
  }

  /// `env.py:9: ValueError: boom (in step)` → python, env.py, 9. Messages without a
  /// `.py` place are run issues (a limit, an action of the wrong shape, the scene).
  public static func issue(fromLog message: String) -> CheckIssue {
    let head = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
    let parts = head.split(separator: ":", maxSplits: 2).map(String.init)
    if parts.count == 3, parts[0].hasSuffix(".py"), let line = Int(parts[1]) {
      return CheckIssue(
        stage: .python, message: parts[2].trimmingCharacters(in: .whitespaces), file: parts[0],
        line: line)
    }
    if parts.count >= 2, parts[0].hasSuffix(".xml") {
      return CheckIssue(stage: .scene, message: message, file: parts[0])
    }
    return CheckIssue(stage: .run, message: message)
  }

  /// The figures of each episode, with the root body's height and travel from a trace.
  func figures(_ results: [HeadlessEpisode.Result], in folder: URL) async -> [EpisodeFigures] {
    var figures: [EpisodeFigures] = []
    for result in results {
      var entry = EpisodeFigures(
        totalReward: result.summary.totalReward, steps: result.summary.steps,
        reason: result.summary.reason.rawValue, rootHeightStart: nil, rootHeightEnd: nil,
        travel: nil, diverged: result.states.contains { !$0.allSatisfy(\.isFinite) },
        error: result.errors.first)
      if let xml = result.xmlPath, let first = result.states.first, let last = result.states.last,
        !entry.diverged,
        let trace = try? await renderer.trace(
          .file(path: folder.appendingPathComponent(xml).path, confinedTo: folder.path),
          states: [first, last]), trace.count == 2
      {
        entry.rootHeightStart = trace[0][2]
        entry.rootHeightEnd = trace[1][2]
        entry.travel = hypot(trace[1][0] - trace[0][0], trace[1][1] - trace[0][1])
      }
      figures.append(entry)
    }
    return figures
  }

  static func defaultScene(_ files: [(path: String, data: Data)]) -> String? {
    let names = files.map(\.path)
    if names.contains("scene.xml") { return "scene.xml" }
    return names.filter { !$0.contains("/") && $0.hasSuffix(".xml") }.sorted().first
  }

  /// Writes files under `folder` (fresh, ours), making their folders.
  static func write(_ files: [(String, Data)], to folder: URL) throws {
    for (path, data) in files {
      let checked = try SafePath(path)
      let url = checked.segments.reduce(folder) { $0.appendingPathComponent($1) }
      try FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: url)
    }
  }
}
