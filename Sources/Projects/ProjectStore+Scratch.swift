import Foundation

/// Copies of a project for the assistant's checks, and the conversation kept with a project.
extension ProjectStore {
  /// Every visible file of the project with its bytes, read one component at a time
  /// without following links (what a check copies into its scratch folder, and what the
  /// assistant's context reads). A link, a device or an unreadable file is left out.
  public func files(session: SessionID, id: ProjectID) throws -> [(path: String, data: Data)] {
    try mapFailures {
      let project = try openProject(session, id)
      return try info(id: id, in: project).files.compactMap { raw in
        guard let path = try? SafePath(raw),
          let data = try? project.openDirectory(path.directory, create: false)
            .readFile(path.fileName, limit: limits.maxReadBytes)
        else { return nil }
        return (raw, data)
      }
    }
  }

  /// A new folder under the projects root (`.scratch/`, which no session id can name) for a
  /// check's copies; its workers see it as they see a project. The caller removes it.
  public func makeScratchFolder() throws -> URL {
    let folder = root.appendingPathComponent(ProjectLayout.scratchFolder).appendingPathComponent(
      UUID().uuidString.lowercased())
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// The project's stored conversation (`.tau/chat.json`), nil when there is none.
  public func conversation(session: SessionID, id: ProjectID) throws -> Data? {
    try mapFailures {
      let project = try openProject(session, id)
      guard let meta = try? project.child(ProjectLayout.metaFolder, create: false) else {
        return nil
      }
      do {
        return try meta.readFile(ProjectLayout.conversationFile, limit: limits.maxReadBytes)
      } catch POSIXFailure.missing {
        return nil
      }
    }
  }

  /// Replaces the project's stored conversation; nil clears it.
  public func saveConversation(session: SessionID, id: ProjectID, _ data: Data?) throws {
    try locks.withLock(session) {
      try mapFailures {
        let project = try openProject(session, id)
        let meta = try project.child(ProjectLayout.metaFolder, create: true)
        guard let data else {
          meta.unlink(ProjectLayout.conversationFile)
          return
        }
        guard data.count <= limits.maxFileBytes else {
          throw ProjectError.limitExceeded(
            "the conversation is larger than \(ProjectLimits.describe(bytes: limits.maxFileBytes)); clear it to go on"
          )
        }
        try AtomicFile.write(data, named: ProjectLayout.conversationFile, in: meta)
      }
    }
  }
}
