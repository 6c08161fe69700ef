import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Projects as zip archives, out and in.
extension ProjectStore {
  // MARK: Archives

  /// The project's visible files as a zip archive (no history, no hidden files).
  public func exportArchive(session: SessionID, id: ProjectID) throws -> Data {
    return try mapFailures {
      let project = try openProject(session, id)
      return try ProjectArchive.export(project: project, files: try walk(project), limits: limits)
    }
  }

  /// A new project holding the files of a zip archive.
  public func importArchive(session: SessionID, name: String?, archive: Data) throws
    -> ProjectInfo
  {
    let name = try Self.validName(name ?? "imported")
    guard archive.count <= limits.maxArchiveBytes else {
      throw ProjectError.limitExceeded(
        "the archive is larger than the \(ProjectLimits.describe(bytes: limits.maxArchiveBytes)) upload limit"
      )
    }
    let entries = try ProjectArchive.entries(of: archive, limits: limits)
    return try makeProject(session: session, name: name) { folder in
      try ProjectArchive.extract(entries, into: folder)
    }
  }
}
