import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The recorded runs of one project, `<project>/.tau/runs/<run>/`, reached as the store
/// reaches files: one component at a time from the project's folder, never through a link.
///
/// The project's own code can plant links or files where tau keeps its runs; every access
/// here then fails with `RunStorageError.notAllowed` instead of reading or writing elsewhere.
public struct ProjectRuns: Sendable {
  /// The project's folder (trusted: the store found it, or the CLI was given it).
  public let project: URL

  public init(project: URL) { self.project = project.standardizedFileURL }

  /// Makes the folder of a new run with `files` in it, empty, and opens them for writing.
  public func create(_ run: String, files: [String]) throws -> [FileHandle] {
    try storage {
      let folder = try runs(create: true)
      guard mkdirat(folder.fd, run, 0o755) == 0 else { throw POSIXFailure.error("mkdir \(run)") }
      let runFolder = try folder.child(run, create: false)
      return try withExtendedLifetime(runFolder) {
        try files.map { name in
          let fd = openat(
            runFolder.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
          guard fd >= 0 else { throw POSIXFailure.error("create \(name)") }
          return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }
      }
    }
  }

  /// Replaces `file` of `run` with `data`, atomically.
  public func write(_ data: Data, to file: String, of run: String) throws {
    try storage { try AtomicFile.write(data, named: file, in: try folder(of: run)) }
  }

  /// The names in the runs folder, unsorted; none when there is no such folder.
  public func names() -> [String] {
    (try? runs(create: false).entries()) ?? []
  }

  /// A plain file of a run, read whole; refused over `limit` bytes.
  public func read(_ file: String, of run: String, limit: Int) throws -> Data {
    try storage { try folder(of: run).readFile(file, limit: limit) }
  }

  /// A plain file of a run, open for reading (to seek in a large one).
  public func open(_ file: String, of run: String) throws -> FileHandle {
    try storage {
      let folder = try folder(of: run)
      // The folder's descriptor must stay open until openat has used it.
      let fd = withExtendedLifetime(folder) {
        openat(folder.fd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
      }
      guard fd >= 0 else {
        if errno == ENOENT { throw POSIXFailure.missing(file) }
        throw POSIXFailure.notAllowed(file)
      }
      var info = stat()
      guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
        close(fd)
        throw POSIXFailure.notAllowed(file)
      }
      return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
  }

  /// Removes a run and everything in it (links are removed, never followed).
  public func remove(_ run: String) {
    guard let folder = try? runs(create: false) else { return }
    folder.removeTree(run)
  }

  private func runs(create: Bool) throws -> DirectoryHandle {
    try DirectoryHandle.open(root: project.path).openDirectory(ProjectLayout.runs, create: create)
  }

  private func folder(of run: String) throws -> DirectoryHandle {
    try runs(create: false).child(run, create: false)
  }

  private func storage<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let failure as POSIXFailure {
      throw RunStorageError(failure)
    }
  }
}

/// Why a run's folder or file could not be used.
public enum RunStorageError: Error, Equatable, CustomStringConvertible {
  /// It does not exist.
  case missing(String)
  /// A link, or not the kind of thing tau writes there (a file for a folder...).
  case notAllowed(String)
  /// Larger than tau would ever have written.
  case tooLarge(Int)
  case failed(String)

  init(_ failure: POSIXFailure) {
    switch failure {
    case .missing(let name): self = .missing(name)
    case .notAllowed(let name): self = .notAllowed(name)
    case .tooLarge(let size): self = .tooLarge(size)
    case .failed: self = .failed(failure.message)
    }
  }

  public var description: String {
    switch self {
    case .missing(let name): return "\(name) is missing"
    case .notAllowed(let name): return "\(name) is a link or not what tau wrote"
    case .tooLarge(let size): return "a file of \(size) bytes is larger than tau writes"
    case .failed(let message): return message
    }
  }
}
