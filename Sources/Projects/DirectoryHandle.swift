import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open directory, reached from a trusted root one component at a time without following
/// symlinks.
///
/// Every component is opened with `openat(..., O_NOFOLLOW | O_DIRECTORY)` relative to the one
/// before it, and files are opened with `O_NOFOLLOW`: a symlink anywhere below the root (even
/// one planted on disk by hand) stops the walk with `ProjectError.invalidPath` instead of being
/// followed, and no rename racing the walk can redirect it.
final class DirectoryHandle {
  let fd: Int32
  /// For messages only.
  let displayPath: String

  private init(fd: Int32, displayPath: String) {
    self.fd = fd
    self.displayPath = displayPath
  }

  deinit { close(fd) }

  /// Opens `root` (trusted: the projects folder the user configured; it may itself be a link).
  static func open(root: String) throws -> DirectoryHandle {
    let fd = openat(AT_FDCWD, root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw POSIXFailure.error("open \(root)") }
    return DirectoryHandle(fd: fd, displayPath: root)
  }

  /// Opens `components` below this folder, creating missing folders when `create` is set.
  /// Throws `notFound` (as `POSIXFailure.missing`) when a folder is missing and `create` is off.
  func openDirectory(_ components: [String], create: Bool) throws -> DirectoryHandle {
    var current = self
    for name in components {
      current = try current.child(name, create: create)
    }
    return current
  }

  /// Opens one child folder.
  func child(_ name: String, create: Bool) throws -> DirectoryHandle {
    let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    var childFD = openat(fd, name, flags)
    if childFD < 0 && errno == ENOENT && create {
      if mkdirat(fd, name, 0o755) != 0 && errno != EEXIST {
        throw POSIXFailure.error("mkdir \(name)")
      }
      childFD = openat(fd, name, flags)
    }
    guard childFD >= 0 else {
      let code = errno
      switch code {
      case ENOENT: throw POSIXFailure.missing(name)
      case ELOOP, ENOTDIR: throw POSIXFailure.notAllowed(name)
      default: throw POSIXFailure.error("open \(name)", code)
      }
    }
    return DirectoryHandle(fd: childFD, displayPath: displayPath + "/" + name)
  }

  /// File status of a child, without following a symlink (`fstatat` with
  /// `AT_SYMLINK_NOFOLLOW`); nil when it does not exist.
  func status(of name: String) throws -> stat? {
    var info = stat()
    if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
      if errno == ENOENT { return nil }
      throw POSIXFailure.error("stat \(name)")
    }
    return info
  }

  /// Reads a regular file below this folder; refuses links (symbolic or hard), folders and
  /// files over `limit`.
  func readFile(_ name: String, limit: Int) throws -> Data {
    let fileFD = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard fileFD >= 0 else {
      let code = errno
      switch code {
      case ENOENT: throw POSIXFailure.missing(name)
      case ELOOP: throw POSIXFailure.notAllowed(name)
      default: throw POSIXFailure.error("open \(name)", code)
      }
    }
    defer { close(fileFD) }
    var info = stat()
    guard fstat(fileFD, &info) == 0 else { throw POSIXFailure.error("stat \(name)") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw POSIXFailure.notAllowed(name) }
    // A second name of the same file is a hard link planted in the project (tau never makes
    // one): it may be any file of the server's user, so it is not read.
    guard info.st_nlink <= 1 else { throw POSIXFailure.notAllowed(name) }
    guard Int(info.st_size) <= limit else { throw POSIXFailure.tooLarge(Int(info.st_size)) }
    var data = Data(count: Int(info.st_size))
    var offset = 0
    try data.withUnsafeMutableBytes { buffer in
      while offset < buffer.count {
        let n = read(fileFD, buffer.baseAddress! + offset, buffer.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          throw POSIXFailure.error("read \(name)")
        }
        if n == 0 { break }
        offset += n
      }
    }
    return data.prefix(offset)
  }

  /// Names in this folder (no `.`/`..`), unsorted.
  func entries() throws -> [String] {
    let dupFD = dup(fd)
    guard dupFD >= 0, let dir = fdopendir(dupFD) else {
      throw POSIXFailure.error("opendir \(displayPath)")
    }
    defer { closedir(dir) }
    rewinddir(dir)
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafePointer(to: entry.pointee.d_name) {
        $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names
  }

  /// Renames a child of this folder to a child of `target` (atomic within one file system).
  func rename(_ name: String, to target: DirectoryHandle, as newName: String) throws {
    guard renameat(fd, name, target.fd, newName) == 0 else {
      let code = errno
      if code == ENOENT { throw POSIXFailure.missing(name) }
      throw POSIXFailure.error("rename \(name)", code)
    }
  }

  /// Removes a child file (not a folder).
  func unlink(_ name: String) {
    _ = unlinkat(fd, name, 0)
  }

  /// Removes a child and, when it is a folder, everything below it (at most 32 deep); a
  /// link is removed itself, never followed. Best effort: what cannot be removed stays.
  func removeTree(_ name: String, depth: Int = 0) {
    if unlinkat(fd, name, 0) == 0 { return }
    guard depth < 32, let child = try? child(name, create: false) else { return }
    for entry in (try? child.entries()) ?? [] { child.removeTree(entry, depth: depth + 1) }
    _ = unlinkat(fd, name, AT_REMOVEDIR)
  }

  /// Flushes the folder's entries (after a rename) to disk.
  func sync() {
    _ = fsync(fd)
  }
}

/// Low-level failures of `DirectoryHandle`, turned into `ProjectError` by the store.
enum POSIXFailure: Error {
  /// A component does not exist.
  case missing(String)
  /// A component is a symlink, or not the kind of thing expected (file vs folder).
  case notAllowed(String)
  /// A file is larger than the caller's limit (its size).
  case tooLarge(Int)
  /// Any other failure: what was attempted and errno.
  case failed(String, Int32)

  static func error(_ what: String, _ code: Int32 = errno) -> POSIXFailure {
    .failed(what, code)
  }

  var message: String {
    switch self {
    case .missing(let name): "\(name) does not exist"
    case .notAllowed(let name): "\(name) is a link or not a regular file"
    case .tooLarge(let size): "file of \(size) bytes is too large"
    case .failed(let what, let code): "\(what): \(String(cString: strerror(code)))"
    }
  }
}
