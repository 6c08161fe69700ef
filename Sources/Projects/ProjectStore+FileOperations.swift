import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Deleting, renaming and uploading project files. Nothing a user had is lost: a deleted
/// or renamed file's last content stays in its history, so it can be restored.
extension ProjectStore {
  /// Writes `data` (any bytes: a mesh, a texture) at `path`, as `writeFile` does text.
  public func uploadFile(session: SessionID, id: ProjectID, path: String, data: Data) throws {
    let path = try SafePath(path)
    guard data.count <= limits.maxFileBytes else {
      throw ProjectError.limitExceeded(
        "the file is larger than the \(ProjectLimits.describe(bytes: limits.maxFileBytes)) limit for one upload"
      )
    }
    try locks.withLock(session) {
      try mapFailures(path: path) {
        try replace(path, with: data, in: try openProject(session, id))
      }
    }
  }

  /// Removes a file; its content becomes the newest version in its history.
  public func deleteFile(session: SessionID, id: ProjectID, path: String) throws {
    let path = try SafePath(path)
    try locks.withLock(session) {
      try mapFailures(path: path) {
        let project = try openProject(session, id)
        let folder = try project.openDirectory(path.directory, create: false)
        try keepInHistory(path, folder: folder, project: project, kind: "delete")
        folder.unlink(path.fileName)
        folder.sync()
      }
    }
  }

  /// Moves a file to a path that holds nothing yet (folders are made as needed); the old
  /// path's history keeps its content.
  public func renameFile(session: SessionID, id: ProjectID, from: String, to: String) throws {
    let from = try SafePath(from)
    let to = try SafePath(to)
    guard from != to else { throw ProjectError.invalidRequest("\(from) is already its name") }
    try locks.withLock(session) {
      try mapFailures(path: from) {
        let project = try openProject(session, id)
        let source = try project.openDirectory(from.directory, create: false)
        guard let info = try source.status(of: from.fileName) else {
          throw ProjectError.fileNotFound(from.description)
        }
        guard Self.isRegularFile(info) else {
          throw ProjectError.invalidPath("\(from) is a folder, a link or not a regular file")
        }
        let target = try project.openDirectory(to.directory, create: true)
        if try target.status(of: to.fileName) != nil {
          throw ProjectError.fileExists(to.description)
        }
        try keepInHistory(from, folder: source, project: project, kind: "rename")
        try source.rename(from.fileName, to: target, as: to.fileName)
        source.sync()
        target.sync()
      }
    }
  }

  /// Saves the regular file at `path` into its history before it goes away.
  private func keepInHistory(
    _ path: SafePath, folder: DirectoryHandle, project: DirectoryHandle, kind: String
  ) throws {
    guard let info = try folder.status(of: path.fileName) else {
      throw ProjectError.fileNotFound(path.description)
    }
    guard Self.isRegularFile(info) else {
      throw ProjectError.invalidPath("\(path) is a folder, a link or not a regular file")
    }
    // A planted hard link's content is another file's: neither read nor kept.
    guard info.st_nlink <= 1 else { return }
    let data = try folder.readFile(path.fileName, limit: limits.maxReadBytes)
    try FileHistory(project: project, keep: limits.historyVersionsPerFile).record(
      data, for: path, replacedBy: ChangeSource(kind: kind))
  }
}
