/// Why a worker could not answer. Each case says what the user should know.
public enum WorkerError: Error, Equatable, CustomStringConvertible {
  /// The executable could not be started.
  case spawnFailed(String, String)
  /// The worker died; `message` is its last report (e.g. MuJoCo's fatal
  /// error), else the tail of its stderr.
  case crashed(message: String, status: String)
  /// The request ran past its time limit; the worker was killed.
  case timedOut(seconds: Double)
  /// The worker could not serve the request and said why; it lives on.
  case failed(WorkerFailure)
  /// The worker spoke something that is not the protocol.
  case protocolViolation(String)
  /// The pool is shutting down.
  case shutDown

  public var description: String {
    switch self {
    case .spawnFailed(let executable, let reason):
      return "cannot start worker \(executable): \(reason)"
    case .crashed(let message, let status):
      return message.isEmpty ? "worker died (\(status))" : "worker died (\(status)): \(message)"
    case .timedOut(let seconds):
      return "worker did not answer within \(seconds) s and was stopped"
    case .failed(let failure): return failure.message
    case .protocolViolation(let reason): return "worker protocol error: \(reason)"
    case .shutDown: return "worker pool is shut down"
    }
  }
}
