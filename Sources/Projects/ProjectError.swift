import Foundation

/// Everything that can go wrong in the project store, with what the user needs to fix it.
///
/// The server maps each case to one HTTP status and a `{"detail": ...}` message in one place
/// (`ProjectError+HTTP.swift` in the Server module); the messages here are meant for people.
public enum ProjectError: Error, Equatable, Sendable {
  /// No project with this id in this session.
  case projectNotFound(String)
  /// The project exists but the file does not.
  case fileNotFound(String)
  /// A project id that is not one of ours (`.`, `%2E`, `../x`, ...).
  case invalidProjectID(String)
  /// A relative path that could leave the project or is not allowed (why, in words).
  case invalidPath(String)
  /// A request body or field that cannot be used (why, in words).
  case invalidRequest(String)
  /// A template name we do not have.
  case unknownTemplate(String)
  /// A limit was hit: which one, and its value, in words.
  case limitExceeded(String)
  /// The file is not UTF-8 text, so it cannot be shown or edited as text.
  case binaryFile(String)
  /// A file history version that does not exist.
  case versionNotFound(path: String, version: String)
  /// No deleted project with this id in the session's trash.
  case trashEntryNotFound(String)
  /// A rename or create would replace a file the user has: its path.
  case fileExists(String)
  /// A zip archive that cannot be imported (why, in words).
  case invalidArchive(String)
  /// The server's disk allowance is spent: what is over, in words.
  case storageFull(String)
  /// The file system failed (a message for the log, not for the user).
  case io(String)

  /// A sentence for the user.
  public var message: String {
    switch self {
    case .projectNotFound(let id): "project not found: \(id)"
    case .fileNotFound(let path): "file not found: \(path)"
    case .invalidProjectID(let id): "invalid project id: \(id.debugDescription)"
    case .invalidPath(let why): "invalid path: \(why)"
    case .invalidRequest(let why): why
    case .unknownTemplate(let name):
      "unknown template \(name.debugDescription); known: \(ProjectTemplate.names.joined(separator: ", "))"
    case .limitExceeded(let what): what
    case .binaryFile(let path): "\(path) is not a UTF-8 text file"
    case .versionNotFound(let path, let version): "no version \(version) of \(path)"
    case .trashEntryNotFound(let id): "no deleted project \(id) in the trash"
    case .fileExists(let path): "\(path) already exists; pick another name or delete it first"
    case .invalidArchive(let why): "invalid zip archive: \(why)"
    case .storageFull(let what): what
    case .io(let what): "file system error: \(what)"
    }
  }
}

extension ProjectError: CustomStringConvertible {
  public var description: String { message }
}
