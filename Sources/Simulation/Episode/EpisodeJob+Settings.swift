import Foundation
import Workers

extension EpisodeJob {
  /// The job of a project's episode, with the stream's settings and the server's limits.
  init(project: URL, settings: EpisodeSettings, limits: EpisodeLimits) {
    self.init(
      projectDirectory: project.standardizedFileURL.path, maxSteps: settings.maxSteps,
      fps: settings.fps, speed: settings.speed, paused: settings.paused,
      fileSizeMB: limits.fileSizeMB, cpuSeconds: limits.cpuSeconds, memoryMB: limits.memoryMB,
      sandbox: limits.sandbox, poses: settings.view == .threeD)
  }
}
