import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A project's files and their history.
extension ProjectStore {
  // MARK: Files

  /// A project file as text; `binaryFile` when it is not UTF-8 text.
  public func readFile(session: SessionID, id: ProjectID, path: String) throws -> String {
    let path = try SafePath(path)
    return try mapFailures(path: path) {
      let project = try openProject(session, id)
      let data = try project.openDirectory(path.directory, create: false)
        .readFile(path.fileName, limit: limits.maxReadBytes)
      return try Self.text(data, path: path)
    }
  }

  /// Writes a project file atomically, keeping the previous content in its history (with
  /// `source`, where this change came from).
  public func writeFile(
    session: SessionID, id: ProjectID, path: String, content: String, source: ChangeSource? = nil
  ) throws {
    let path = try SafePath(path)
    let data = Data(content.utf8)
    guard data.count <= limits.maxFileBytes else {
      throw ProjectError.limitExceeded(
        "the file is larger than the \(ProjectLimits.describe(bytes: limits.maxFileBytes)) limit for one write"
      )
    }
    try locks.withLock(session) {
      try mapFailures(path: path) {
        let project = try openProject(session, id)
        try replace(path, with: data, in: project, source: try source?.validated())
      }
    }
  }

  /// The saved versions of a file, newest first.
  public func history(session: SessionID, id: ProjectID, path: String) throws -> [FileVersion] {
    let path = try SafePath(path)
    return try mapFailures(path: path) {
      let project = try openProject(session, id)
      return try FileHistory(project: project, keep: limits.historyVersionsPerFile)
        .versions(of: path)
    }
  }

  /// One saved version of a file, as text (`binaryFile` when it is not UTF-8).
  public func versionText(session: SessionID, id: ProjectID, path: String, version: String)
    throws -> String
  {
    let path = try SafePath(path)
    return try mapFailures(path: path) {
      let project = try openProject(session, id)
      let data = try FileHistory(project: project, keep: limits.historyVersionsPerFile)
        .content(of: path, version: version, limit: limits.maxReadBytes)
      return try Self.text(data, path: path)
    }
  }

  /// Puts a saved version back; the content it replaces becomes a version too.
  public func restoreVersion(session: SessionID, id: ProjectID, path: String, version: String)
    throws
  {
    let path = try SafePath(path)
    try locks.withLock(session) {
      try mapFailures(path: path) {
        let project = try openProject(session, id)
        let history = FileHistory(project: project, keep: limits.historyVersionsPerFile)
        let data = try history.content(of: path, version: version, limit: limits.maxReadBytes)
        try replace(path, with: data, in: project, source: ChangeSource(kind: "restore"))
      }
    }
  }
}
