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

  /// Room for one more project: the session's projects and its trash together stay within
  /// `maxProjectsPerSession`, so deleting and creating without end cannot fill the disk. The
  /// oldest deleted projects go first; with no trash left to drop, the session is full.
  func makeRoom(in sessionDir: DirectoryHandle) throws {
    try checkProjectCount(in: sessionDir)
    let live = try projectIDs(in: sessionDir).count
    guard let trash = try? sessionDir.child(ProjectLayout.trashFolder, create: false) else {
      return
    }
    let deleted = try projectIDs(in: trash).map { id in
      (id, (try? trash.child(id.rawValue, create: false)).flatMap(deletionTime(of:)) ?? 0)
    }.sorted { $0.1 < $1.1 }
    let surplus = live + deleted.count + 1 - limits.maxProjectsPerSession
    for (id, _) in deleted.prefix(max(0, surplus)) {
      remove(id.rawValue, in: trash)
    }
    if surplus > 0 { trash.sync() }
  }
}
