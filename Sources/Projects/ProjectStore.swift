import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The projects on disk: `<root>/<session>/<project id>/` with the user's files, the display
/// name in `.name`, the history in `.tau/history/` and deleted projects in `<session>/.trash/`.
///
/// Every path goes through `SafePath` and `DirectoryHandle` (no symlink is ever followed below
/// the root), every write through `AtomicFile` (old or new content, never a mix), every overwrite
/// leaves the old content in the file's history, and every limit of `ProjectLimits` is checked
/// before anything is written. Methods are blocking; async callers use `run(_:)`, which moves the
/// work off the event loops. Changes within one session are serialised.
public final class ProjectStore: Sendable {
  /// The projects folder.
  public let root: URL
  public let limits: ProjectLimits
  let logger: Logger
  let locks = SessionLocks()
  /// What the whole projects folder may use of the disk.
  public let disk: DiskAllowance

  /// Opens (creating if needed) the projects folder at `root`.
  public init(root: URL, limits: ProjectLimits = ProjectLimits(), logger: Logger? = nil) throws {
    self.root = root.standardizedFileURL
    self.limits = limits
    self.logger = logger ?? Logger(label: "tau.projects")
    disk = DiskAllowance(
      root: self.root, maxBytes: limits.maxServerBytes, minimumFreeBytes: limits.minimumFreeBytes)
    do {
      try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    } catch {
      throw ProjectError.io("cannot create the projects folder \(self.root.path): \(error)")
    }
  }

  /// Runs blocking store work off the event loops.
  public func run<T: Sendable>(_ work: @escaping @Sendable (ProjectStore) throws -> T) async throws
    -> T
  {
    try await BlockingIO.run { try work(self) }
  }

  // MARK: Projects

  /// The session's projects, sorted by name then id.
  public func listProjects(session: SessionID) throws -> [ProjectInfo] {
    try mapFailures {
      guard let sessionDir = try openSession(session, create: false) else { return [] }
      return try projectIDs(in: sessionDir).map { id in
        try info(id: id, in: try sessionDir.child(id.rawValue, create: false))
      }.sorted { ($0.name.lowercased(), $0.id.rawValue) < ($1.name.lowercased(), $1.id.rawValue) }
    }
  }

  /// A new project made from `template` (default `cartpole`), named `name`.
  public func createProject(session: SessionID, name: String?, template: String?) throws
    -> ProjectInfo
  {
    let name = try Self.validName(name)
    let template = try ProjectTemplate.named(template ?? ProjectTemplate.defaultName)
    return try makeProject(session: session, name: name) { folder in
      for file in template.files {
        let path = try SafePath(file.path)
        let dir = try folder.openDirectory(path.directory, create: true)
        try AtomicFile.write(Data(file.content.utf8), named: path.fileName, in: dir)
      }
    }
  }

  /// A new project named `name`, its files written by `fill` into a hidden folder that
  /// appears under a fresh id only once it is whole (nothing is left when `fill` fails).
  func makeProject(
    session: SessionID, name: String, fill: (DirectoryHandle) throws -> Void
  ) throws -> ProjectInfo {
    try locks.withLock(session) {
      try mapFailures {
        try disk.check(adding: 0)
        let sessionDir = try openSession(session, create: true)!
        try makeRoom(in: sessionDir)
        let staging = try makeStaging(in: sessionDir)
        do {
          try fill(staging.handle)
          try AtomicFile.write(Data(name.utf8), named: ProjectLayout.nameFile, in: staging.handle)
          let id = try publish(staging, in: sessionDir)
          return try info(id: id, in: try sessionDir.child(id.rawValue, create: false))
        } catch {
          remove(staging.name, in: sessionDir)
          throw error
        }
      }
    }
  }

  /// One project; `projectNotFound` if the session has no such project.
  public func project(session: SessionID, id: ProjectID) throws -> ProjectInfo {
    return try mapFailures {
      try info(id: id, in: try openProject(session, id))
    }
  }

  /// The folder of a project, for the workers that run it.
  public func projectURL(session: SessionID, id: ProjectID) throws -> URL {
    try mapFailures { _ = try openProject(session, id) }
    return root.appendingPathComponent(session.rawValue).appendingPathComponent(id.rawValue)
  }

  /// Moves a project to the session's trash (restorable for `limits.trashRetention`).
  public func deleteProject(session: SessionID, id: ProjectID) throws {
    try locks.withLock(session) {
      try mapFailures {
        let project = try openProject(session, id)
        let sessionDir = try openSession(session, create: false)!
        let stamp = String(Date().timeIntervalSince1970)
        try AtomicFile.write(
          Data(stamp.utf8), named: ProjectLayout.deletedAtFile,
          in: try project.child(ProjectLayout.metaFolder, create: true))
        let trash = try sessionDir.child(ProjectLayout.trashFolder, create: true)
        if try trash.status(of: id.rawValue) != nil { remove(id.rawValue, in: trash) }
        try sessionDir.rename(id.rawValue, to: trash, as: id.rawValue)
        sessionDir.sync()
        trash.sync()
        purgeTrash(trash)
      }
    }
  }

  // MARK: Internals

  /// Writes `data` at `path`, saving the old content (if any, and different) to history first.
  func replace(
    _ path: SafePath, with data: Data, in project: DirectoryHandle, source: ChangeSource? = nil
  ) throws {
    try checkRoom(for: [(path, data)], in: project)
    try write(path, data, in: project, source: source)
  }

  /// Throws unless the project, its quota measured once (`ProjectUsage`: hidden files and
  /// folders below the listing's depth count too), and the server's disk have room for
  /// `files` written over what their paths hold now.
  func checkRoom(for files: [(SafePath, Data)], in project: DirectoryHandle) throws {
    let usage = ProjectUsage.measure(project, limits: limits)
    if usage.tooDeep || usage.truncated, let violation = usage.violation(of: limits) {
      throw ProjectError.limitExceeded("the project is over its quota: \(violation)")
    }
    var bytes = usage.bytes
    var count = usage.files
    for (path, data) in files {
      let existing = try? project.openDirectory(path.directory, create: false).status(
        of: path.fileName)
      let replaced = existing.flatMap { $0 }.map { Self.isRegularFile($0) ? Int($0.st_size) : 0 }
      bytes += data.count - (replaced ?? 0)
      if replaced == nil { count += 1 }
    }
    if bytes > limits.maxProjectBytes {
      throw ProjectError.limitExceeded(
        "the project would be larger than the \(ProjectLimits.describe(bytes: limits.maxProjectBytes)) project size limit"
      )
    }
    if count > limits.maxFilesPerProject {
      throw ProjectError.limitExceeded(
        "the project already has the maximum of \(limits.maxFilesPerProject) files")
    }
    try disk.check(adding: files.reduce(0) { $0 + $1.1.count })
  }

  /// Writes `data` at `path` (room already checked), the old content to history first.
  func write(
    _ path: SafePath, _ data: Data, in project: DirectoryHandle, source: ChangeSource? = nil
  ) throws {
    let folder = try project.openDirectory(path.directory, create: true)
    // A hard link planted in the project is replaced by the write, its content (another
    // file's) neither read nor kept in the history.
    if let info = try folder.status(of: path.fileName) {
      guard Self.isRegularFile(info) else {
        throw ProjectError.invalidPath("\(path) is a folder, a link or not a regular file")
      }
      if info.st_nlink <= 1 {
        let old = try folder.readFile(path.fileName, limit: limits.maxReadBytes)
        if old == data { return }
        try FileHistory(project: project, keep: limits.historyVersionsPerFile).record(
          old, for: path, replacedBy: source)
      }
    }
    try AtomicFile.write(data, named: path.fileName, in: folder)
    disk.wrote(data.count)
  }

  func openSession(_ session: SessionID, create: Bool) throws -> DirectoryHandle? {
    let rootDir = try DirectoryHandle.open(root: root.path)
    do {
      return try rootDir.child(session.rawValue, create: create)
    } catch POSIXFailure.missing {
      return nil
    }
  }

  func openProject(_ session: SessionID, _ id: ProjectID) throws -> DirectoryHandle {
    guard let sessionDir = try openSession(session, create: false) else {
      throw ProjectError.projectNotFound(id.rawValue)
    }
    do {
      return try sessionDir.child(id.rawValue, create: false)
    } catch POSIXFailure.missing {
      throw ProjectError.projectNotFound(id.rawValue)
    } catch POSIXFailure.notAllowed {
      throw ProjectError.projectNotFound(id.rawValue)
    }
  }

  func projectIDs(in folder: DirectoryHandle) throws -> [ProjectID] {
    try folder.entries().compactMap { name in
      guard let id = try? ProjectID(name), let info = try folder.status(of: name),
        Self.isDirectory(info)
      else { return nil }
      return id
    }
  }

  func checkProjectCount(in sessionDir: DirectoryHandle) throws {
    if try projectIDs(in: sessionDir).count >= limits.maxProjectsPerSession {
      throw ProjectError.limitExceeded(
        "this session already has the maximum of \(limits.maxProjectsPerSession) projects")
    }
  }

  func info(id: ProjectID, in project: DirectoryHandle) throws -> ProjectInfo {
    ProjectInfo(
      id: id, name: displayName(of: project) ?? id.rawValue,
      files: try walk(project).map(\.path))
  }

  func displayName(of project: DirectoryHandle) -> String? {
    guard let data = try? project.readFile(ProjectLayout.nameFile, limit: 4096),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return name.isEmpty ? nil : name
  }

  func deletionTime(of project: DirectoryHandle) -> Double? {
    guard let meta = try? project.child(ProjectLayout.metaFolder, create: false),
      let data = try? meta.readFile(ProjectLayout.deletedAtFile, limit: 64),
      let text = String(data: data, encoding: .utf8)
    else { return nil }
    return Double(text)
  }

  /// Folders deeper than this are not listed: the project's code can nest folders without
  /// end, and each level of the walk holds a descriptor and a stack frame.
  static let maximumWalkDepth = SafePath.maxFolderDepth

  /// The visible regular files of a project (sorted paths and sizes); links are skipped, and
  /// the walk stops after a few times the file-count limit of entries.
  func walk(_ folder: DirectoryHandle) throws -> [(path: String, size: Int)] {
    var budget = limits.maxFilesPerProject * 4
    return try walk(folder, prefix: [], budget: &budget)
  }

  func walk(_ folder: DirectoryHandle, prefix: [String], budget: inout Int) throws
    -> [(path: String, size: Int)]
  {
    var files: [(path: String, size: Int)] = []
    for name in try folder.entries().sorted() where SafePath.isVisible(name: name) {
      guard budget > 0 else { break }
      budget -= 1
      guard let info = try folder.status(of: name) else { continue }
      if Self.isDirectory(info) {
        guard prefix.count < Self.maximumWalkDepth,
          let child = try? folder.child(name, create: false)
        else { continue }
        files += try walk(child, prefix: prefix + [name], budget: &budget)
      } else if Self.isRegularFile(info) {
        files.append(((prefix + [name]).joined(separator: "/"), Int(info.st_size)))
      }
    }
    return files
  }

  /// A hidden folder in the session to build a project in before it appears under its id.
  func makeStaging(in sessionDir: DirectoryHandle) throws -> (
    name: String, handle: DirectoryHandle
  ) {
    let name = AtomicFile.temporaryPrefix + randomHex(bytes: 8)
    return (name, try sessionDir.child(name, create: true))
  }

  /// Renames a staging folder to a fresh project id.
  func publish(
    _ staging: (name: String, handle: DirectoryHandle), in sessionDir: DirectoryHandle
  )
    throws -> ProjectID
  {
    for _ in 0..<8 {
      let id = ProjectID.random()
      if try sessionDir.status(of: id.rawValue) != nil { continue }
      try sessionDir.rename(staging.name, to: sessionDir, as: id.rawValue)
      sessionDir.sync()
      return id
    }
    throw ProjectError.io("could not pick a free project id")
  }

  func remove(_ name: String, in folder: DirectoryHandle) {
    let path = folder.displayPath + "/" + name
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      logger.warning("could not remove \(path): \(error)")
    }
  }

  func purgeTrash(_ trash: DirectoryHandle) {
    let now = Date().timeIntervalSince1970
    for id in (try? projectIDs(in: trash)) ?? [] {
      guard let project = try? trash.child(id.rawValue, create: false) else { continue }
      let deletedAt = deletionTime(of: project) ?? 0
      if now - deletedAt > limits.trashRetention { remove(id.rawValue, in: trash) }
    }
  }

  static func validName(_ raw: String?) throws -> String {
    let name = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if name.isEmpty { return "untitled" }
    guard name.count <= 100 else {
      throw ProjectError.invalidRequest("the project name is longer than 100 characters")
    }
    guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
      throw ProjectError.invalidRequest("the project name contains a control character")
    }
    return name
  }

  static func text(_ data: Data, path: SafePath) throws -> String {
    guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
      throw ProjectError.binaryFile(path.description)
    }
    return text
  }

  static func isDirectory(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }
  static func isRegularFile(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }

  /// Turns low-level failures into `ProjectError`s that name the path the user gave.
  func mapFailures<T>(path: SafePath? = nil, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as ProjectError {
      throw error
    } catch let failure as POSIXFailure {
      switch failure {
      case .missing:
        throw ProjectError.fileNotFound(path?.description ?? "")
      case .notAllowed(let name):
        throw ProjectError.invalidPath(
          "\(path?.description ?? name) goes through a link or is not a regular file")
      case .tooLarge(let size):
        throw ProjectError.limitExceeded(
          "the file (\(ProjectLimits.describe(bytes: size))) is larger than the \(ProjectLimits.describe(bytes: limits.maxReadBytes)) read limit"
        )
      case .failed:
        logger.error("project store: \(failure.message)")
        throw ProjectError.io(failure.message)
      }
    }
  }
}
