import Foundation

/// Where tau keeps its own files among a session's projects: the one place these names
/// are spelled.
///
/// ```
/// <root>/<session>/<project id>/       the user's files
///                  <project id>/.name  its display name
///                  <project id>/.tau/  tau's: history/, runs/, chat.json, deleted-at
///                  .trash/<project id>/ deleted projects
/// <root>/.scratch/<uuid>/              the assistant's check copies (removed after each)
/// ```
/// Every name starts with a dot, so `SafePath` keeps the API's paths away from all of them.
public enum ProjectLayout {
  /// tau's own folder inside a project.
  static let metaFolder = ".tau"
  /// Earlier versions of the project's files (`FileHistory`).
  static let history = [metaFolder, "history"]
  /// Recorded runs (`ProjectRuns`).
  static let runs = [metaFolder, "runs"]
  /// Inside the meta folder: the project's conversation with the assistant.
  static let conversationFile = "chat.json"
  /// Inside the meta folder of a trashed project: when it was deleted.
  static let deletedAtFile = "deleted-at"
  /// The hidden file holding a project's display name.
  static let nameFile = ".name"
  /// Under the root: the assistant's check copies.
  public static let scratchFolder = ".scratch"
  /// The session's trash folder.
  static let trashFolder = ".trash"

  /// `<project>/.tau`, as a real folder: made when missing, and a link or file in its place
  /// (planted by the project's own code) replaced. Nil when it cannot be made. The sandbox
  /// binds it read-only, so the project's code cannot rewrite tau's files.
  public static func preparedMetaFolder(of project: URL) -> String? {
    guard let folder = try? DirectoryHandle.open(root: project.standardizedFileURL.path) else {
      return nil
    }
    if (try? folder.child(metaFolder, create: true)) == nil {
      folder.unlink(metaFolder)
      guard (try? folder.child(metaFolder, create: true)) != nil else { return nil }
    }
    return project.standardizedFileURL.appendingPathComponent(metaFolder).path
  }
}
