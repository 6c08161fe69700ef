import Foundation
import ZIPFoundation

/// Zip export and import of a project's files.
///
/// Import refuses anything that could escape or overload the project before a byte is written:
/// links, absolute paths, `..`, backslashes; more entries than `maxFilesPerProject`; a declared
/// total over `maxProjectBytes`; an entry over 1 MiB that expands more than `maxCompressionRatio`
/// times. While extracting it counts the bytes it really gets, so an archive that lies about its
/// sizes is stopped too. Hidden entries (`.git/`, `__MACOSX/`, `.DS_Store`) and `__pycache__`
/// are skipped, and one folder wrapping everything (as GitHub's downloads have) is removed.
enum ProjectArchive {
  /// A file of the archive that will be extracted, and where to.
  struct PlannedEntry {
    let entry: Entry
    let path: SafePath
    let size: Int
  }

  static func export(
    project: DirectoryHandle, files: [(path: String, size: Int)], limits: ProjectLimits
  ) throws -> Data {
    // The archive is built in memory: a project its own code grew past the limits (files it
    // wrote itself) is refused rather than loaded whole.
    let total = files.reduce(0) { $0 + $1.size }
    guard total <= limits.maxProjectBytes, files.count <= limits.maxFilesPerProject else {
      throw ProjectError.limitExceeded(
        "the project holds \(files.count) files, \(ProjectLimits.describe(bytes: total)): more "
          + "than a download may (\(limits.maxFilesPerProject) files, "
          + "\(ProjectLimits.describe(bytes: limits.maxProjectBytes)))")
    }
    let archive: Archive
    do {
      archive = try Archive(accessMode: .create)
    } catch {
      throw ProjectError.io("cannot create a zip archive: \(error)")
    }
    for file in files {
      let path = SafePath(checkedSegments: file.path.split(separator: "/").map(String.init))
      let data = try project.openDirectory(path.directory, create: false)
        .readFile(path.fileName, limit: limits.maxProjectBytes)
      do {
        try archive.addEntry(
          with: file.path, type: .file, uncompressedSize: Int64(data.count),
          compressionMethod: .deflate
        ) { position, size in
          data.subdata(in: Int(position)..<Int(position) + size)
        }
      } catch {
        throw ProjectError.io("cannot add \(file.path) to the zip archive: \(error)")
      }
    }
    guard let data = archive.data else { throw ProjectError.io("the zip archive has no data") }
    return data
  }

  /// Checks an uploaded archive and lists the files to extract.
  static func entries(of data: Data, limits: ProjectLimits) throws -> (Archive, [PlannedEntry]) {
    try ZipPreflight.check(data)
    let archive: Archive
    do {
      archive = try Archive(data: data, accessMode: .read)
    } catch {
      throw ProjectError.invalidArchive("the upload is not a readable zip file")
    }
    var files: [(Entry, [String])] = []
    var seen = 0
    for entry in archive {
      seen += 1
      if seen > limits.maxFilesPerProject * 2 {
        throw ProjectError.limitExceeded(
          "the archive has more than \(limits.maxFilesPerProject) files (the per-project limit)")
      }
      switch entry.type {
      case .symlink:
        throw ProjectError.invalidArchive("\(entry.path.debugDescription) is a link")
      case .directory:
        _ = try segments(of: entry.path, isDirectory: true)
      case .file:
        let parts = try segments(of: entry.path, isDirectory: false)
        if parts.allSatisfy(SafePath.isVisible(name:)) { files.append((entry, parts)) }
      }
    }
    guard !files.isEmpty else { throw ProjectError.invalidArchive("it holds no files") }
    guard files.count <= limits.maxFilesPerProject else {
      throw ProjectError.limitExceeded(
        "the archive has \(files.count) files; the limit is \(limits.maxFilesPerProject) per project"
      )
    }
    // One folder wrapping everything is dropped.
    let first = files[0].1[0]
    if files.allSatisfy({ $0.1.count > 1 && $0.1[0] == first }) {
      files = files.map { ($0.0, Array($0.1.dropFirst())) }
    }
    var total = 0
    var planned: [PlannedEntry] = []
    for (entry, parts) in files {
      let path: SafePath
      do {
        path = try SafePath(parts.joined(separator: "/"))
      } catch {
        throw ProjectError.invalidArchive("\(entry.path.debugDescription) cannot be a project path")
      }
      let size = Int(clamping: entry.uncompressedSize)
      let compressed = max(Int(clamping: entry.compressedSize), 1)
      if size > 1024 * 1024 && size / compressed > limits.maxCompressionRatio {
        throw ProjectError.limitExceeded(
          "\(path) expands more than \(limits.maxCompressionRatio) times (the compression ratio limit)"
        )
      }
      total += size
      guard total <= limits.maxProjectBytes else {
        throw ProjectError.limitExceeded(
          "the archive unpacks to more than the \(ProjectLimits.describe(bytes: limits.maxProjectBytes)) project size limit"
        )
      }
      planned.append(PlannedEntry(entry: entry, path: path, size: size))
    }
    return (archive, planned)
  }

  /// Writes the planned files into `folder`, stopping at any entry larger than it declared.
  static func extract(_ plan: (Archive, [PlannedEntry]), into folder: DirectoryHandle) throws {
    let (archive, entries) = plan
    for planned in entries {
      var content = Data()
      do {
        _ = try archive.extract(planned.entry) { chunk in
          content.append(chunk)
          if content.count > planned.size {
            throw ProjectError.invalidArchive(
              "\(planned.path) holds more bytes than the archive declares")
          }
        }
      } catch let error as ProjectError {
        throw error
      } catch {
        throw ProjectError.invalidArchive("\(planned.path) cannot be extracted (\(error))")
      }
      let dir = try folder.openDirectory(planned.path.directory, create: true)
      if let info = try dir.status(of: planned.path.fileName), !ProjectStore.isRegularFile(info) {
        throw ProjectError.invalidArchive("\(planned.path) is both a folder and a file")
      }
      try AtomicFile.write(content, named: planned.path.fileName, in: dir)
    }
  }

  /// The segments of an entry path; throws when the path could leave the project.
  private static func segments(of raw: String, isDirectory: Bool) throws -> [String] {
    var path = raw
    if isDirectory, path.hasSuffix("/") { path.removeLast() }
    let bad =
      path.isEmpty || path.hasPrefix("/") || path.contains("\\") || path.contains("\0")
      || path.split(separator: "/", omittingEmptySubsequences: false).contains {
        $0.isEmpty || $0 == "." || $0 == ".."
      }
    if bad {
      throw ProjectError.invalidArchive("the entry \(raw.debugDescription) would leave the project")
    }
    return path.split(separator: "/").map(String.init)
  }
}
