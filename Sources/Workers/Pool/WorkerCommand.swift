/// How to start one kind of worker.
public struct WorkerCommand: Sendable {
  public var executable: String
  public var arguments: [String]
  /// The worker's whole environment: nothing else is inherited.
  public var environment: [String: String]
  public var workingDirectory: String?

  public init(
    executable: String, arguments: [String], environment: [String: String],
    workingDirectory: String? = nil
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.workingDirectory = workingDirectory
  }
}
