import Foundation

/// Messages about a project's files, said as the user knows them: paths relative to the
/// project. The server's own paths (its projects folder, the session id in it) never reach
/// a client through a worker's error.
public enum ProjectRelativeText {
  /// `text` with the project's folder taken out of every path that names it.
  public static func make(_ text: String, project: String) -> String {
    var text = text
    for folder in Set([project, URL(fileURLWithPath: project).resolvingSymlinksInPath().path]) {
      let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
      guard !trimmed.isEmpty else { continue }
      text = text.replacingOccurrences(of: trimmed + "/", with: "")
      text = text.replacingOccurrences(of: trimmed, with: ".")
    }
    return text
  }

  /// A worker's error, said relative to `project`.
  public static func describe(_ error: Error, project: String) -> String {
    make(String(describing: error), project: project)
  }
}
