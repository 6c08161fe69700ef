import Foundation
import Projects

/// The project quota during an episode: user code writes files the API never sees, so the
/// project is measured before, during and after (issue 10.9).
extension EpisodeRunner {
  /// What the project is over, in words, or nil when it keeps to its quota (or cannot be
  /// measured: a project that vanished ends the episode by other means).
  func quotaViolation(project: URL) async -> String? {
    let limits = limits.project
    let usage = try? await BlockingIO.run {
      try ProjectUsage.measure(project: project, limits: limits)
    }
    return usage?.violation(of: limits)
  }

  /// Measures the project every `quotaCheckInterval` until it goes over its quota (the
  /// violation) or the task is cancelled (nil).
  func watchQuota(project: URL) async -> String? {
    while !Task.isCancelled {
      try? await Task.sleep(for: limits.quotaCheckInterval)
      guard !Task.isCancelled else { return nil }
      if let violation = await quotaViolation(project: project) { return violation }
    }
    return nil
  }

  static func stoppedMessage(_ violation: String) -> String {
    "the episode was stopped: the project went over its quota (\(violation)); "
      + "delete files to make room"
  }

  static func overQuotaMessage(_ violation: String) -> String {
    "the project is over its quota (\(violation)); delete files to make room, then run again"
  }
}
