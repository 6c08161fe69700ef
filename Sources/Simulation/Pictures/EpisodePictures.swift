import Foundation
import Workers

/// Pictures of a project's episode, for the IDE and the assistant's vision models: a
/// snapshot (one image after reset and N steps) and a filmstrip (K images over a short run,
/// with metrics). The episode runs headless, in a slot of the session like any episode;
/// tau workers render the states it kept.
public struct EpisodePictures: Sendable {
  public static let snapshotSteps = 0...2000
  public static let filmstripSteps = 1...3000
  public static let filmstripFrames = 1...16

  let runner: EpisodeRunner
  let scheduler: EpisodeScheduler
  let renderer: ModelWorkerClient

  /// The state after reset (`steps` 0) or after `steps` control steps.
  public func snapshot(
    session: String, project: URL, steps: Int, options: RenderOptions
  ) async throws -> Data {
    let result = try await headless(session: session, project: project, steps: max(steps, 1))
    guard let state = steps == 0 ? result.states.first : result.states.last else {
      throw PictureError(result)
    }
    return try await renderer.render(model(project, result), state: state, options: options)
  }

  /// `frames` JPEG pictures evenly spaced over `steps` control steps, the run's numbers and
  /// its last 50 log lines.
  public func filmstrip(
    session: String, project: URL, steps: Int, frames count: Int, options: RenderOptions
  ) async throws -> Filmstrip {
    var options = options
    options.format = .jpeg
    let result = try await headless(session: session, project: project, steps: steps)
    guard !result.states.isEmpty else { throw PictureError(result) }
    let model = model(project, result)
    var frames: [Filmstrip.Frame] = []
    for index in Filmstrip.evenlySpaced(count: count, of: result.states.count) {
      let jpeg = try await renderer.render(model, state: result.states[index], options: options)
      frames.append(
        Filmstrip.Frame(
          step: result.telemetry[index].step, jpegBase64: jpeg.base64EncodedString()))
    }
    let positions = try await renderer.trace(model, states: result.states)
    return Filmstrip(
      frames: frames, metrics: Filmstrip.Metrics(result: result, rootPositions: positions),
      logs: result.logs.suffix(50).map { "[\($0.level)] \($0.message)" })
  }

  private func headless(session: String, project: URL, steps: Int) async throws
    -> HeadlessEpisode.Result
  {
    try await scheduler.acquire(session: session) { _ in }
    let result = await HeadlessEpisode(runner: runner).run(project: project, steps: steps)
    await scheduler.release(session: session)
    return result
  }

  private func model(_ project: URL, _ result: HeadlessEpisode.Result) -> ModelSource {
    .file(
      path: project.appendingPathComponent(result.xmlPath ?? "scene.xml").path,
      confinedTo: project.path)
  }
}

/// The episode left nothing to picture: its errors, or that it produced no states.
public struct PictureError: Error, CustomStringConvertible {
  public var description: String

  init(_ result: HeadlessEpisode.Result) {
    let errors = result.errors
    description =
      errors.isEmpty ? "the episode produced no states" : errors.joined(separator: "\n")
  }
}
