import Dispatch

/// Runs blocking file-system work away from the NIO event loops and Swift's cooperative pool.
///
/// The project store does plain blocking I/O (open, write, fsync, rename); callers in async code
/// go through `BlockingIO.run` so a slow disk stalls one dispatch thread, never the server.
public enum BlockingIO {
  private static let queue = DispatchQueue(
    label: "tau.projects.blocking-io", qos: .userInitiated, attributes: .concurrent)

  /// Runs `work` on the blocking-I/O queue and returns its result.
  public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T
  {
    try await withCheckedThrowingContinuation { continuation in
      queue.async {
        continuation.resume(with: Result { try work() })
      }
    }
  }
}
