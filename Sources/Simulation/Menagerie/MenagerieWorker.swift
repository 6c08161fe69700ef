import Foundation
import Projects

/// Asks the Menagerie worker (`python/tau_menagerie_worker.py`, the `.venv`'s Python with
/// Google DeepMind's `mujoco_menagerie`) one question per process. Its environment is only
/// what it needs: the Menagerie variables, a home for the package's default cache, no keys.
public struct MenagerieWorker: Sendable {
  public var python: String
  public var script: String
  /// The Menagerie variables it passes on (`MENAGERIE_ROOT`, `TAU_MENAGERIE_DIR`,
  /// `MENAGERIE_CACHE_DIR`, `MENAGERIE_BASE_URL`, `TAU_MENAGERIE_REGISTRY`, `XDG_CACHE_HOME`).
  public var settings: [String: String]
  public var timeout: Duration = .seconds(600)

  public static let variables = [
    "MENAGERIE_ROOT", "TAU_MENAGERIE_DIR", "MENAGERIE_CACHE_DIR", "MENAGERIE_BASE_URL",
    "TAU_MENAGERIE_REGISTRY", "XDG_CACHE_HOME", "HOME",
  ]

  public init(installRoot: URL, environment: [String: String]) {
    python = installRoot.appendingPathComponent(".venv/bin/python").path
    script = installRoot.appendingPathComponent("python/tau_menagerie_worker.py").path
    settings = environment.filter { Self.variables.contains($0.key) && !$0.value.isEmpty }
  }

  public func catalog() async throws -> [MenagerieModel] {
    guard case .catalog(let models) = try await ask(.catalog) else {
      throw MenagerieFailure(kind: .request, message: "the Menagerie worker sent no catalog")
    }
    return models
  }

  /// Resolves the model (downloading it when needed; `progress` hears bytes done of total).
  public func prepare(
    model: String, entry: String?, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
  ) async throws -> PreparedImport {
    guard
      case .prepared(let prepared) = try await ask(.prepare(model: model, entry: entry), progress)
    else {
      throw MenagerieFailure(kind: .request, message: "the Menagerie worker prepared nothing")
    }
    return prepared
  }

  private func ask(
    _ request: MenagerieRequest, _ progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
  ) async throws -> MenagerieMessage {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-s", "-B", script]
    var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
    environment.merge(settings) { _, given in given }
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    // Its messages go to a file, not a pipe: a pipe read only at the end could fill while
    // its answer is read, and leave both waiting on each other.
    let errorsFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tau-menagerie-\(UUID().uuidString).log")
    guard FileManager.default.createFile(atPath: errorsFile.path, contents: nil),
      let errors = FileHandle(forWritingAtPath: errorsFile.path)
    else { throw MenagerieFailure(kind: .request, message: "cannot create a log file") }
    defer {
      try? errors.close()
      try? FileManager.default.removeItem(at: errorsFile)
    }
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let deadline = Task {
      try await Task.sleep(for: timeout)
      process.terminate()
    }
    defer { deadline.cancel() }
    return try await withTaskCancellationHandler {
      try await BlockingIO.run {
        try? input.fileHandleForWriting.write(contentsOf: request.line)
        try? input.fileHandleForWriting.close()
        var answer: MenagerieMessage?
        var buffer = Data()
        while answer == nil {
          let chunk = output.fileHandleForReading.availableData
          if chunk.isEmpty { break }
          buffer += chunk
          while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
            let line = buffer[buffer.startIndex..<newline]
            buffer = Data(buffer[buffer.index(after: newline)...])
            switch MenagerieMessage(line: Data(line)) {
            case .progress(_, let done, let total): progress(done, total)
            case .some(let message): answer = message
            case nil: continue
            }
          }
        }
        process.waitUntilExit()
        let stderr = (try? Data(contentsOf: errorsFile)) ?? Data()
        if case .error(let failure) = answer { throw failure }
        guard let answer else {
          let tail = String(decoding: stderr.suffix(2000), as: UTF8.self)
          throw MenagerieFailure(
            kind: .request, message: "the Menagerie worker ended without an answer: \(tail)")
        }
        return answer
      }
    } onCancel: {
      process.terminate()
    }
  }
}
