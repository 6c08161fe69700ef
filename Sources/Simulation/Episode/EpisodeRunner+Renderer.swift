import Foundation
import Workers

extension EpisodeRunner {
  /// An item as the client gets it when nothing is rendered: a state is a frame without a
  /// picture (with its poses, for a 3D view).
  static func emitUnrendered(_ item: FrameMailbox.Item, emit: Emit) async throws {
    switch item {
    case .log(let level, let message): try await emit(.log(level: level, message: message))
    case .started(let start): try await emit(.started(start))
    case .state(let state, let telemetry, let poses):
      try await emit(
        .frame(EpisodeFrame(telemetry: telemetry, jpeg: Data(), state: state, poses: poses)))
    }
  }

  /// Without pictures to render (a 3D view, a headless run) the reader hands each item to the
  /// client itself, with no hop to another task per step. Once the client is gone the
  /// episode stops, as `renderFrames` stops it, and what the worker still says is dropped.
  func readUnrendered(
    _ worker: ReadyWorker, project: URL, episode: EpisodeState, emit: Emit
  ) async {
    var clientGone = false
    await readWorker(worker, project: project, episode: episode) { item in
      guard !clientGone else { return }
      do {
        try await Self.emitUnrendered(item, emit: emit)
      } catch {
        if Task.isCancelled { return }
        clientGone = true
        await episode.finish(reason: .stopped, steps: nil, totalReward: nil)
        worker.process.kill()
      }
    }
  }

  /// Emits the mailbox's items in order, rendering states as it goes. When the client
  /// is gone or rendering fails, the episode stops.
  func renderFrames(
    mailbox: FrameMailbox, episode: EpisodeState, worker: ReadyWorker, emit: Emit
  ) async {
    let settings = episode.settings
    do {
      while !Task.isCancelled, let item = await mailbox.take() {
        switch item {
        case .log, .started:
          try await Self.emitUnrendered(item, emit: emit)
        case .state(let state, let telemetry, _):
          let frame = EpisodeFrame(telemetry: telemetry, jpeg: Data(), state: state)
          guard !frame.isReset || settings.resetFrames,
            let (model, options) = await episode.renderTarget
          else { continue }
          await episode.awaitPreparation()
          let jpeg: Data
          do {
            jpeg = try await renderer.render(model, state: state, options: options)
          } catch {
            // Cancelled: the episode's limit stopped it, and said so.
            if Task.isCancelled { return }
            let project: String? =
              if case .file(_, let root) = model { root } else { nil }
            await episode.fail(
              "rendering failed: "
                + ProjectRelativeText.describe(error, project: project ?? ""))
            worker.process.kill()
            return
          }
          try await emit(.frame(EpisodeFrame(telemetry: telemetry, jpeg: jpeg, state: state)))
        }
      }
    } catch {
      if Task.isCancelled { return }
      // The client went away: stop simulating for nobody.
      await episode.finish(reason: .stopped, steps: nil, totalReward: nil)
      worker.process.kill()
    }
  }
}
