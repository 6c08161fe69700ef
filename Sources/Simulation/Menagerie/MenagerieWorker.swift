import Foundation
import Projects

/// Asks the Menagerie worker (`python/tau_menagerie_worker.py`, the `.venv`'s Python with
/// Google DeepMind's `mujoco_menagerie`) one question per process. Its environment is only
/// what it needs: the Menagerie variables, a home for the package's default cache, no keys.
///
/// A model the registry does not know comes from GitHub's contents API (`github`, in this
/// process, so `GITHUB_TOKEN` never reaches the worker) into a temporary folder, which the
/// worker then prepares like a registry model's.
public struct MenagerieWorker: Sendable {
  public var python: String
  public var script: String
  /// The Menagerie variables it passes on (`MENAGERIE_ROOT`, `TAU_MENAGERIE_DIR`,
  /// `MENAGERIE_CACHE_DIR`, `MENAGERIE_BASE_URL`, `TAU_MENAGERIE_REGISTRY`, `XDG_CACHE_HOME`).
  public var settings: [String: String]
  public var timeout: Duration = .seconds(600)
  /// The fallback for models outside the registry; nil turns it off.
  public var github: GitHubMenagerie?

  public static let variables = [
    "MENAGERIE_ROOT", "TAU_MENAGERIE_DIR", "MENAGERIE_CACHE_DIR", "MENAGERIE_BASE_URL",
    "TAU_MENAGERIE_REGISTRY", "XDG_CACHE_HOME", "HOME",
  ]

  public init(installRoot: URL, environment: [String: String]) {
    python = installRoot.appendingPathComponent(".venv/bin/python").path
    script = installRoot.appendingPathComponent("python/tau_menagerie_worker.py").path
    settings = environment.filter { Self.variables.contains($0.key) && !$0.value.isEmpty }
    github = GitHubMenagerie(environment: environment)
  }

  public func catalog() async throws -> [MenagerieModel] {
    guard case .catalog(let models) = try await ask(.catalog) else {
      throw MenagerieFailure(kind: .request, message: "the Menagerie worker sent no catalog")
    }
    return models
  }

  /// Resolves the model (downloading it when needed; `progress` hears bytes done of total),
  /// and gives `body` what to copy. A model fetched from GitHub lives in a temporary folder
  /// only while `body` runs.
  public func withPrepared<T: Sendable>(
    model: String, entry: String?, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in },
    _ body: (PreparedImport) async throws -> T
  ) async throws -> T {
    do {
      return try await body(try await prepared(ask(.prepare(model: model, entry: entry), progress)))
    } catch let failure as MenagerieFailure where failure.kind == .unknownModel {
      guard let github else { throw failure }
      let staging = FileManager.default.temporaryDirectory.appendingPathComponent(
        "tau-github-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: staging) }
      let folder = staging.appendingPathComponent(model)
      do {
        try await github.fetch(model: model, into: folder, progress: progress)
      } catch let refusal as GitHubFailure {
        throw Self.failure(refusal, registry: failure)
      }
      let answer = try await ask(.prepareFolder(model: model, folder: folder.path, entry: entry))
      return try await body(try prepared(answer))
    }
  }

  private func prepared(_ answer: MenagerieMessage) throws -> PreparedImport {
    guard case .prepared(let prepared) = answer else {
      throw MenagerieFailure(kind: .request, message: "the Menagerie worker prepared nothing")
    }
    return prepared
  }

  /// GitHub's answer for a model the registry does not know, in the registry's terms.
  static func failure(_ github: GitHubFailure, registry: MenagerieFailure) -> MenagerieFailure {
    switch github.kind {
    case .notFound:
      return MenagerieFailure(
        kind: .unknownModel, message: registry.message + "; GitHub has no such folder either")
    case .unavailable:
      // Offline, a typo is far likelier than a model newer than the registry.
      return MenagerieFailure(
        kind: .unknownModel,
        message: registry.message + "; GitHub could not be asked either (\(github.message))")
    case .rateLimited:
      return MenagerieFailure(
        kind: .rateLimited, message: github.message, retryAfter: github.retryAfter)
    case .refused:
      return MenagerieFailure(kind: .unavailable, message: github.message)
    }
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
