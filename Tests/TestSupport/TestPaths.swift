import Foundation
import Projects

/// Where the things tests need live, found from this file's location.
public enum TestPaths {
  /// The folder holding Package.swift.
  public static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
    {
      url.deleteLastPathComponent()
    }
    return url
  }()

  /// `.venv/bin/python`, with the pinned mujoco (made by scripts/setup).
  public static var python: String { packageRoot.appendingPathComponent(".venv/bin/python").path }

  /// The `tau` executable built beside the test bundle.
  public static var tauExecutable: String {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("tau").path
    if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
    return packageRoot.appendingPathComponent(".build/debug/tau").path
  }

  /// Real Menagerie robots: `../shared/menagerie` where the checkout has it, else the same
  /// five models from mujoco-menagerie's cache, which `make test` copies to
  /// `.build/test-menagerie` first (`scripts/test-menagerie`).
  public static var menagerie: URL {
    let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/menagerie")
    if FileManager.default.fileExists(atPath: shared.path) { return shared }
    return packageRoot.appendingPathComponent(".build/test-menagerie")
  }

  /// The scene files of every Menagerie robot there (`scene*.xml`, else
  /// every top-level `.xml`), sorted.
  public static var menagerieScenes: [URL] {
    let fm = FileManager.default
    let robots = (try? fm.contentsOfDirectory(atPath: menagerie.path)) ?? []
    return robots.sorted().flatMap { robot -> [URL] in
      let folder = menagerie.appendingPathComponent(robot)
      let xml = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
        $0.hasSuffix(".xml")
      }.sorted()
      let scenes = xml.filter { $0.hasPrefix("scene") }
      return (scenes.isEmpty ? xml : scenes).map { folder.appendingPathComponent($0) }
    }
  }

  /// The cartpole template's scene, written to a fresh temporary folder.
  public static func cartpoleScene() throws -> URL {
    let folder = try temporaryFolder()
    let template = try ProjectTemplate.named("cartpole")
    for file in template.files {
      let url = folder.appendingPathComponent(file.path)
      try file.content.write(to: url, atomically: true, encoding: .utf8)
    }
    return folder.appendingPathComponent("scene.xml")
  }

  /// A new empty folder under the system's temporary folder.
  public static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tau-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
