import Foundation
import Projects

enum BenchPaths {
  static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
    {
      url.deleteLastPathComponent()
    }
    return url
  }()

  static var python: String { packageRoot.appendingPathComponent(".venv/bin/python").path }

  static func cartpoleScene() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tau-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in try ProjectTemplate.named("cartpole").files {
      try file.content.write(
        to: folder.appendingPathComponent(file.path), atomically: true, encoding: .utf8)
    }
    return folder.appendingPathComponent("scene.xml")
  }
}

enum BenchTable {
  static func row(_ cells: [String]) -> String {
    cells.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined(separator: " ")
  }

  static func number(_ value: Double) -> String {
    value >= 1000 ? String(format: "%.0fk", value / 1000) : String(format: "%.0f", value)
  }
}
