import ArgumentParser
import Foundation
import Simulation

/// `tau menagerie`: the robots of MuJoCo Menagerie, through Google DeepMind's catalog and
/// cache (the same Menagerie worker the server asks).
struct Menagerie: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "List, inspect, fetch and import robots from MuJoCo Menagerie.",
    subcommands: [List.self, Info.self, Prefetch.self, Import.self])

  static func worker() throws -> MenagerieWorker {
    guard let root = InstallPaths.root() else {
      throw ValidationError("cannot find tau-sim's python/ near the executable; set TAU_HOME")
    }
    return MenagerieWorker(installRoot: root, environment: ProcessInfo.processInfo.environment)
  }

  /// The worker's failure as the command's error: its message, in words.
  static func words<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let failure as MenagerieFailure {
      throw CommandFailure(failure.message)
    }
  }

  /// A failure in words, without the usage text a `ValidationError` adds (exit status 1).
  struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The catalog, one robot a line.")
    @Option(help: "Only this category (arm, humanoid, quadruped, end_effector, ...).")
    var category: String?
    @Flag(help: "Print the catalog as JSON.") var json = false

    func run() async throws {
      let models = try await words { try await worker().catalog() }.filter {
        category == nil || $0.category == category
      }
      if json {
        let data = try JSONEncoder.sortedPretty.encode(models)
        print(String(decoding: data, as: UTF8.self))
        return
      }
      let width = (models.map(\.name.count).max() ?? 4) + 2
      for model in models {
        let name = model.name.padding(toLength: width, withPad: " ", startingAt: 0)
        let category = model.category.padding(toLength: 20, withPad: " ", startingAt: 0)
        print("\(name)\(category)\(model.availableOffline ? "offline" : "download")")
      }
    }
  }

  struct Info: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "One robot's entry in the catalog.")
    @Argument(help: "The robot's name, as `tau menagerie list` shows it.") var name: String

    func run() async throws {
      let models = try await words { try await worker().catalog() }
      guard let model = models.first(where: { $0.name == name }) else {
        throw CommandFailure("model not found: \(name)")
      }
      print("\(model.displayName) (\(model.name))")
      print("category: \(model.category)   license: \(model.license)")
      print("default scene: \(model.defaultScene ?? "none")   default model: \(model.defaultModel)")
      print(
        "installed size: \(model.installedSize / 1024) KiB   "
          + (model.availableOffline ? "available offline" : "downloaded on first use"))
      print("entry points:")
      for entry in model.entryPoints { print("  \(entry.name)  (\(entry.kind), \(entry.file))") }
    }
  }

  struct Prefetch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Download robots into the cache now, for offline use later.")
    @Argument(help: "The robots' names.") var names: [String]

    func run() async throws {
      let worker = try worker()
      for name in names {
        let folder = try await words {
          try await worker.withPrepared(
            model: name, entry: nil,
            progress: { done, total in ProgressBar.draw(name, done: done, total: total) }
          ) { $0.folder }
        }
        print("\(name): \(folder)")
      }
    }
  }

  struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy a robot into a project folder, with an env.py that holds its pose.")
    @Argument(help: "The robot's name.") var name: String
    @Argument(help: "The project folder (made if missing).") var project: String
    @Option(help: "The entry point (default: the robot's default scene).") var entry: String?

    func run() async throws {
      let name = name
      let (files, entryXML) = try await words {
        try await worker().withPrepared(
          model: name, entry: entry,
          progress: { done, total in ProgressBar.draw(name, done: done, total: total) }
        ) { prepared in
          let source = URL(fileURLWithPath: prepared.folder)
          let files = try prepared.files.map { path -> (String, Data) in
            try (path, Self.read(path, in: source))
          }
          return (files + [("env.py", Data(prepared.envPy.utf8))], prepared.entryXML)
        }
      }
      let target = URL(fileURLWithPath: project).standardizedFileURL
      for (path, data) in files {
        let url = target.appendingPathComponent(path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // What the folder had is kept beside it, never lost.
        if let old = FileManager.default.contents(atPath: url.path), old != data {
          try old.write(to: url.appendingPathExtension("orig"), options: .atomic)
        }
        try data.write(to: url, options: .atomic)
      }
      print("\(name): \(files.count) files into \(target.path); entry \(entryXML)")
    }

    /// A file of the model's folder, by a relative path that stays inside it and is no link.
    static func read(_ path: String, in folder: URL) throws -> Data {
      let parts = path.split(separator: "/")
      guard !path.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." }) else {
        throw CommandFailure("refused \(path): it would leave the model's folder")
      }
      let url = folder.appendingPathComponent(path)
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      guard attributes[.type] as? FileAttributeType == .typeRegular else {
        throw CommandFailure("refused \(path): a link or not a regular file")
      }
      return try Data(contentsOf: url)
    }
  }
}

/// A download's progress on stderr, when it is a terminal.
enum ProgressBar {
  static func draw(_ name: String, done: Int, total: Int) {
    guard isatty(2) != 0, total > 0 else { return }
    let filled = 30 * min(done, total) / total
    let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
    let megabytes = { (bytes: Int) in String(format: "%.1f", Double(bytes) / 1_048_576) }
    let line = "\r\(name) [\(bar)] \(megabytes(done))/\(megabytes(total)) MB"
    FileHandle.standardError.write(Data((line + (done >= total ? "\n" : "")).utf8))
  }
}
