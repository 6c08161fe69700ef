import Foundation
import Projects

/// The limits user code runs under, from the environment
/// (`TAU_CPU_LIMIT`, `TAU_WALL_LIMIT`, `TAU_MEM_LIMIT_MB`, `TAU_SANDBOX`).
public struct EpisodeLimits: Sendable, Equatable {
  /// CPU seconds per episode (RLIMIT_CPU in the worker).
  public var cpuSeconds: Int? = 60
  /// Wall-clock seconds per episode, enforced by the server.
  public var wallSeconds: Double = 120
  /// Address space of the worker in MB (RLIMIT_AS); nil: unlimited.
  public var memoryMB: Int? = nil
  /// The default of `memoryMB` in multi-user mode.
  public static let multiUserMemoryMB = 4096
  /// Largest file the worker may write, in MB (RLIMIT_FSIZE).
  public var fileSizeMB: Int = 100
  /// Isolate the worker: network cut, only its own project visible.
  public var sandbox = false
  /// The project's quota, which the episode's code must keep to as the API does: measured
  /// before the episode, every `quotaCheckInterval` while it runs, and after it.
  public var project = ProjectLimits()
  public var quotaCheckInterval = Duration.seconds(2)

  public init() {}

  /// Reads the limits; `multiUser` turns the sandbox on regardless.
  public init(environment: [String: String], multiUser: Bool) {
    self.init()
    if let value = environment["TAU_CPU_LIMIT"] {
      cpuSeconds = Int(value).flatMap { $0 > 0 ? $0 : nil }
    }
    if let value = environment["TAU_WALL_LIMIT"], let seconds = Double(value), seconds > 0 {
      wallSeconds = seconds
    }
    // A hosted server limits every episode's memory unless told otherwise (0: no limit).
    if let value = environment["TAU_MEM_LIMIT_MB"], let megabytes = Int(value) {
      memoryMB = megabytes > 0 ? megabytes : nil
    } else if multiUser {
      memoryMB = Self.multiUserMemoryMB
    }
    let asked = ["1", "true", "yes", "on"].contains(
      (environment["TAU_SANDBOX"] ?? "").lowercased())
    sandbox = multiUser || asked
  }
}
