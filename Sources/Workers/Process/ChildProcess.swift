import CProcess
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with posix_spawn in a session of its own, with
/// pipes on its stdin, stdout and stderr.
///
/// Its own session (setsid) lets the parent kill the child and everything it
/// started with one signal to the process group.
public struct ChildProcess: Sendable {
  public let pid: pid_t
  /// Parent's write end of the child's stdin.
  public let stdin: Int32
  /// Parent's read end of the child's stdout.
  public let stdout: Int32
  /// Parent's read end of the child's stderr.
  public let stderr: Int32

  /// Starts `executable`. `environment` replaces the parent's entirely, so a
  /// worker never inherits secrets it was not given.
  public static func spawn(
    executable: String, arguments: [String], environment: [String: String],
    workingDirectory: String? = nil
  ) throws -> ChildProcess {
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid: pid_t = 0
    var input: Int32 = -1
    var output: Int32 = -1
    var errors: Int32 = -1
    let status = tau_spawn(
      executable, argv, envp, workingDirectory, &pid, &input, &output, &errors)
    guard status == 0 else {
      throw WorkerError.spawnFailed(executable, String(cString: strerror(status)))
    }
    return ChildProcess(pid: pid, stdin: input, stdout: output, stderr: errors)
  }
  /// Sends `signal` to the child's whole process group.
  public func signalGroup(_ signal: Int32) {
    _ = kill(-pid, signal)
    _ = kill(pid, signal)
  }

  /// Blocks until the child has exited, without reaping it: its pid stays reserved (and its
  /// process group's id with it) until `waitForExit()`.
  public func waitUntilExited() {
    var info = siginfo_t()
    while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 {
      if errno != EINTR { return }
    }
  }

  /// Blocks until the child exits and reaps it; call from a thread that may block.
  public func waitForExit() -> ExitStatus {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return .exited(-1) }
    }
    if status & 0x7f == 0 { return .exited((status >> 8) & 0xff) }
    return .signaled(status & 0x7f)
  }
}

/// How a child process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
  case exited(Int32)
  case signaled(Int32)

  public var description: String {
    switch self {
    case .exited(let code): return "exited with status \(code)"
    case .signaled(let signal):
      let name = signal == SIGKILL ? "SIGKILL" : signal == SIGSEGV ? "SIGSEGV" : "signal \(signal)"
      return "killed by \(name)"
    }
  }
}
