import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Deleted projects, restorable for `limits.trashRetention`.
extension ProjectStore {
  // MARK: Trash

  /// The session's deleted projects, newest first (entries past retention are purged first).
  public func trash(session: SessionID) throws -> [TrashEntry] {
    try mapFailures {
      guard let sessionDir = try openSession(session, create: false),
        let trash = try? sessionDir.child(ProjectLayout.trashFolder, create: false)
      else { return [] }
      purgeTrash(trash)
      return try projectIDs(in: trash).compactMap { id -> (TrashEntry, Double)? in
        let project = try trash.child(id.rawValue, create: false)
        let deletedAt = deletionTime(of: project) ?? 0
        let name = displayName(of: project) ?? id.rawValue
        let entry = TrashEntry(
          id: id, name: name,
          deletedAt: FileHistory.timestamp(Date(timeIntervalSince1970: deletedAt)))
        return (entry, deletedAt)
      }.sorted { $0.1 > $1.1 }.map(\.0)
    }
  }

  /// Moves a deleted project back from the trash.
  public func restoreFromTrash(session: SessionID, id: ProjectID) throws -> ProjectInfo {
    return try locks.withLock(session) {
      try mapFailures {
        guard let sessionDir = try openSession(session, create: false),
          let trash = try? sessionDir.child(ProjectLayout.trashFolder, create: false),
          let info = try trash.status(of: id.rawValue), Self.isDirectory(info)
        else { throw ProjectError.trashEntryNotFound(id.rawValue) }
        try checkProjectCount(in: sessionDir)
        if try sessionDir.status(of: id.rawValue) != nil {
          throw ProjectError.invalidRequest("a project with id \(id) already exists")
        }
        try trash.rename(id.rawValue, to: sessionDir, as: id.rawValue)
        sessionDir.sync()
        let project = try sessionDir.child(id.rawValue, create: false)
        if let meta = try? project.child(ProjectLayout.metaFolder, create: false) {
          meta.unlink(ProjectLayout.deletedAtFile)
        }
        return try self.info(id: id, in: project)
      }
    }
  }
}
