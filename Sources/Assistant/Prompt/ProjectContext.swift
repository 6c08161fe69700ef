import Foundation

/// The project as the model reads it: the entry env and its scene first, then helper modules
/// and other XML, then the remaining text files; binaries (meshes, textures) listed by name
/// and size only; long files cut with a visible marker; everything within a budget of
/// characters. Only the project's visible files come here (`ProjectStore.files`): no
/// dotfile, link or path outside the project ever does.
struct ProjectContext {
  var name: String
  var files: [(path: String, data: Data)]
  /// Paths the client chose (nil: all) and left out.
  var include: [String]?
  var exclude: [String]?
  var budget = ProjectContext.defaultBudget
  /// Longest part of one file that goes.
  var fileLimit = 16_000

  static let defaultBudget = 60_000

  /// What went, in order, and what did not, for the client's context chips.
  struct Selection: Codable, Equatable, Sendable {
    var sent: [String]
    var cut: [String]
    var listed: [String]
    var omitted: [String]
  }

  /// The entry module and its scene (`ProjectEntry`).
  var entry: String? { ProjectEntry.entry(in: files) }
  var scene: String? { ProjectEntry.scene(in: files) }

  func text(of path: String) -> String? {
    guard let data = files.first(where: { $0.path == path })?.data else { return nil }
    return String(data: data, encoding: .utf8)
  }

  static func isBinary(_ path: String, _ data: Data) -> Bool {
    let ext = (path as NSString).pathExtension.lowercased()
    return ProposalRules.binaryExtensions.contains(ext)
      || String(data: data, encoding: .utf8) == nil
      || data.contains(0)
  }

  /// The files in the order they go: entry, scene, helper modules, XML, the rest.
  func ordered() -> [(path: String, data: Data)] {
    let chosen = files.filter { file in
      (include == nil || include!.contains(file.path)) && !(exclude ?? []).contains(file.path)
    }
    func rank(_ path: String) -> Int {
      if path == entry { return 0 }
      if path == scene { return 1 }
      if path.hasSuffix(".py") { return 2 }
      if path.hasSuffix(".xml") { return 3 }
      return 4
    }
    return chosen.sorted { (rank($0.path), $0.path) < (rank($1.path), $1.path) }
  }

  /// The context text and what it holds.
  func render() -> (text: String, selection: Selection) {
    var selection = Selection(sent: [], cut: [], listed: [], omitted: [])
    var parts = ["Project: \(name)"]
    if let entry { parts.append("Entry env: \(entry)" + (scene.map { ", scene: \($0)" } ?? "")) }
    var left = budget
    var binaries: [String] = []
    for file in ordered() {
      if Self.isBinary(file.path, file.data) {
        binaries.append("\(file.path) (\(file.data.count) bytes)")
        selection.listed.append(file.path)
        continue
      }
      let text = String(decoding: file.data, as: UTF8.self)
      guard left > 200 else {
        selection.omitted.append(file.path)
        continue
      }
      let room = min(fileLimit, left - 100)
      var body = text
      if text.count > room {
        body =
          String(text.prefix(room))
          + "\n[... cut here: \(text.count - room) more characters of \(file.path) not shown ...]"
        selection.cut.append(file.path)
      }
      selection.sent.append(file.path)
      left -= body.count + file.path.count + 20
      parts.append("=== \(file.path) ===\n\(body)")
    }
    if !binaries.isEmpty {
      parts.append("Binary files (not shown): " + binaries.joined(separator: ", "))
    }
    if !selection.omitted.isEmpty {
      parts.append(
        "Left out to fit the context budget: " + selection.omitted.joined(separator: ", "))
    }
    return (parts.joined(separator: "\n\n"), selection)
  }
}
