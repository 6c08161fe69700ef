import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

public enum ProcessRunner {
  /// Runs the program on a thread of its own: the wait never holds one of Swift's few
  /// cooperative threads (on 2 cores, two such waits would stall every other test).
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil
  ) async throws -> ProcessResult {
    try await onOwnThread { try runBlocking(executable, arguments, environment: environment) }
  }

  private static func runBlocking(
    _ executable: String, _ arguments: [String], environment: [String: String]?
  ) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes while the process runs, so a full pipe never blocks it.
    let errors = ErrorCollector()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      errors.data = err.fileHandleForReading.readDataToEndOfFile()
      done.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    done.wait()
    let errData = errors.data
    return ProcessResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs a Python script with `.venv`'s Python.
  public static func python(_ script: String, _ arguments: [String] = []) async throws
    -> ProcessResult
  {
    try await run(TestPaths.python, ["-c", script] + arguments)
  }
}

/// Unchecked Sendable: written by the pipe's reader until the process ends, read after that.
private final class ErrorCollector: @unchecked Sendable {
  var data = Data()
}

/// Runs blocking work (process waits, sleeps) on a thread of its own, off Swift's
/// cooperative pool.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws
  -> T
{
  try await withCheckedThrowingContinuation { continuation in
    Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
  }
}
