import Foundation

/// Files copied into a project from a folder outside it (a Menagerie model).
extension ProjectStore {
  /// Copies `paths` (relative to `folder`) into the project at the same relative paths,
  /// then writes `extra` files (the generated `env.py`); whatever they replace goes to the
  /// history first. Everything is read, and every bound checked, before anything is
  /// written, so a refused import leaves the project as it was. Paths must be `SafePath`s,
  /// read one component at a time without following links; a link, a device or a file with
  /// a second name is refused. Returns the number of files written.
  public func importFiles(
    session: SessionID, id: ProjectID, from folder: URL, paths: [String],
    extra: [(path: String, content: Data)] = []
  ) throws -> Int {
    guard paths.count + extra.count <= limits.maxFilesPerProject else {
      throw ProjectError.limitExceeded(
        "the import has \(paths.count + extra.count) files; a project holds at most "
          + "\(limits.maxFilesPerProject)")
    }
    let source = try DirectoryHandle.open(root: folder.standardizedFileURL.path)
    var files: [(SafePath, Data)] = []
    var total = 0
    for raw in paths {
      let path = try SafePath(raw)
      let data: Data
      do {
        data = try source.openDirectory(path.directory, create: false).readFile(
          path.fileName, limit: limits.maxReadBytes)
      } catch POSIXFailure.notAllowed {
        throw ProjectError.invalidArchive("\(path) is a link, a device or not a regular file")
      } catch POSIXFailure.tooLarge(let size) {
        throw ProjectError.limitExceeded(
          "\(path) is \(ProjectLimits.describe(bytes: size)); one imported file may have "
            + ProjectLimits.describe(bytes: limits.maxReadBytes))
      } catch POSIXFailure.missing {
        throw ProjectError.invalidArchive("\(path) is missing from the model's folder")
      }
      total += data.count
      guard total <= limits.maxProjectBytes else {
        throw ProjectError.limitExceeded(
          "the import is larger than the \(ProjectLimits.describe(bytes: limits.maxProjectBytes)) project size limit"
        )
      }
      files.append((path, data))
    }
    for file in extra { files.append((try SafePath(file.path), file.content)) }
    return try locks.withLock(session) {
      try mapFailures {
        let project = try openProject(session, id)
        // Measured once for the whole import, not once a file.
        try checkRoom(for: files, in: project)
        for (path, data) in files { try write(path, data, in: project) }
        return files.count
      }
    }
  }

  /// A project with no files yet, for an import to fill.
  public func createBareProject(session: SessionID, name: String?) throws -> ProjectInfo {
    try makeProject(session: session, name: try Self.validName(name)) { _ in }
  }

  /// Removes a project for good (not to the trash): one whose making failed half-way.
  public func eraseProject(session: SessionID, id: ProjectID) throws {
    try locks.withLock(session) {
      try mapFailures {
        _ = try openProject(session, id)
        guard let sessionDir = try openSession(session, create: false) else { return }
        remove(id.rawValue, in: sessionDir)
        sessionDir.sync()
      }
    }
  }
}
