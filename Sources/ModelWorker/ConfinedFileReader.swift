import Foundation
import MuJoCo

#if canImport(Glibc)
  import Glibc
#endif

/// Reads a file of a project so that what is read is what was checked: the file is opened
/// first (links followed, as MuJoCo would), then the path the kernel opened is read back from
/// `/proc/self/fd` and must lie in the project. A link swapped in after the check cannot
/// change the bytes, since these are the bytes MuJoCo compiles (through its virtual file
/// system).
struct ConfinedFileReader {
  /// The project's real path, with a trailing slash.
  let rootPrefix: String
  /// Bytes one model may read in all.
  static let maximumBytes = 512 * 1024 * 1024
  private(set) var bytesRead = 0

  init(root: URL) {
    rootPrefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
  }

  enum Outcome {
    case read(Data)
    /// Nothing there: MuJoCo will report the file as missing.
    case missing
    /// It resolves outside the project, or is no regular file.
    case refused(String)
  }

  mutating func read(_ path: String) -> Outcome {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else {
      return errno == ENOENT || errno == ENOTDIR ? .missing : .refused("unreadable")
    }
    defer { close(fd) }
    guard let opened = Self.openedPath(fd), opened.hasPrefix(rootPrefix) else {
      return .refused("outside the project")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      return .refused("not a regular file")
    }
    let size = Int(info.st_size)
    guard bytesRead + size <= Self.maximumBytes else {
      return .refused("past the \(Self.maximumBytes / (1024 * 1024)) MiB a model may read")
    }
    var data = Data(count: size)
    let count = data.withUnsafeMutableBytes { buffer -> Int in
      var done = 0
      while done < size {
        let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
        if n <= 0 { break }
        done += n
      }
      return done
    }
    bytesRead += count
    return .read(data.prefix(count))
  }

  /// The real path of what `fd` opened.
  static func openedPath(_ fd: Int32) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let length = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
    guard length > 0 else { return nil }
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
