import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The saved earlier versions of a project's files, kept in the project's hidden `.tau/history`
/// folder so that any overwrite (an assistant's proposal applied, an edit, a restore) can be
/// undone.
///
/// The history of `dir/file.py` lives in `.tau/history/dir.v/file.py.v/` as files named `1`,
/// `2`, ... (the highest is the newest); the `.v` suffix keeps a file's versions apart from the
/// history of files below a folder of the same name. Versions are written with `AtomicFile`.
struct FileHistory {
  static let root = ProjectLayout.history
  /// Far more saves of one file than anyone makes.
  static let maximumVersionNumber = 1_000_000_000

  let project: DirectoryHandle
  /// Versions kept per file; older ones are removed.
  let keep: Int

  /// Saves `data` as the newest version of `path`, with where the change that replaces it
  /// came from (`N.source.json` beside version `N`).
  func record(_ data: Data, for path: SafePath, replacedBy source: ChangeSource? = nil) throws {
    let folder = try project.openDirectory(Self.folder(for: path), create: true)
    let numbers = try Self.versionNumbers(in: folder)
    let next = (numbers.last ?? 0) + 1
    try AtomicFile.write(data, named: String(next), in: folder)
    if let source, let json = try? JSONEncoder().encode(source) {
      try AtomicFile.write(json, named: Self.sourceName(next), in: folder)
    }
    let all = numbers + [next]
    if all.count > keep {
      for old in all.prefix(all.count - keep) {
        folder.unlink(String(old))
        folder.unlink(Self.sourceName(old))
      }
    }
  }

  static func sourceName(_ version: Int) -> String { "\(version).source.json" }

  /// The source kept beside a version; nil when none (or not one tau wrote).
  func source(of version: Int, in folder: DirectoryHandle) -> ChangeSource? {
    guard let data = try? folder.readFile(Self.sourceName(version), limit: 4096) else {
      return nil
    }
    return try? JSONDecoder().decode(ChangeSource.self, from: data).validated()
  }

  /// The versions of `path`, newest first.
  func versions(of path: SafePath) throws -> [FileVersion] {
    guard let folder = try openFolder(for: path) else { return [] }
    return try Self.versionNumbers(in: folder).reversed().compactMap { number in
      guard let info = try folder.status(of: String(number)) else { return nil }
      let time = Date(
        timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
      return FileVersion(
        version: String(number), time: Self.timestamp(time), size: Int(info.st_size),
        replacedBy: source(of: number, in: folder))
    }
  }

  /// The content of one version; `ProjectError.versionNotFound` if there is none.
  func content(of path: SafePath, version: String, limit: Int) throws -> Data {
    guard let number = Int(version), number > 0, String(number) == version,
      let folder = try openFolder(for: path)
    else {
      throw ProjectError.versionNotFound(path: path.description, version: version)
    }
    do {
      return try folder.readFile(version, limit: limit)
    } catch POSIXFailure.missing {
      throw ProjectError.versionNotFound(path: path.description, version: version)
    }
  }

  private func openFolder(for path: SafePath) throws -> DirectoryHandle? {
    do {
      return try project.openDirectory(Self.folder(for: path), create: false)
    } catch POSIXFailure.missing {
      return nil
    }
  }

  static func folder(for path: SafePath) -> [String] {
    root + path.segments.map { $0 + ".v" }
  }

  private static func versionNumbers(in folder: DirectoryHandle) throws -> [Int] {
    try folder.entries().compactMap { name in
      // Names tau never writes (a number near Int.max planted by the project's code would
      // overflow the next version) are not versions.
      guard let number = Int(name), (1...Self.maximumVersionNumber).contains(number),
        String(number) == name
      else { return nil }
      return number
    }.sorted()
  }

  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }
}
