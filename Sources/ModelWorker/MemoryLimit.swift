import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A tau worker's address-space limit (RLIMIT_AS), set before it loads GL or a model: a model
/// that needs more fails to compile or render with an error, and the worker, shared by every
/// session, cannot take the machine's memory.
public enum MemoryLimit {
  public static func apply(megabytes: Int) throws {
    let bytes = rlim_t(megabytes) * 1024 * 1024
    var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
    guard setrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0 else {
      throw WorkerSetupError(
        "could not limit the worker's memory to \(megabytes) MB: \(String(cString: strerror(errno)))"
      )
    }
  }
}

/// A tau worker that cannot start as asked.
public struct WorkerSetupError: Error, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
