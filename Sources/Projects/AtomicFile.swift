import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a file so that a crash or a kill at any moment leaves the old content or the new
/// content, never a mix.
///
/// The bytes go to a fresh temporary file in the same folder (`O_CREAT | O_EXCL | O_NOFOLLOW`),
/// which is flushed with `fsync` and then renamed over the target; the folder is flushed too,
/// so the rename itself survives a power cut. A leftover temporary file (hidden, `.tau-tmp-*`)
/// is never listed as a project file.
public enum AtomicFile {
  /// Prefix of temporary files; hidden, so never listed.
  static let temporaryPrefix = ".tau-tmp-"

  /// Atomically replaces `name` in `directory` with `data`.
  static func write(_ data: Data, named name: String, in directory: DirectoryHandle) throws {
    let temporary = temporaryPrefix + randomHex(bytes: 8)
    let fileFD = openat(
      directory.fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fileFD >= 0 else { throw POSIXFailure.error("create \(temporary)") }
    var closed = false
    do {
      try data.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
          let n = systemWrite(fileFD, buffer.baseAddress! + offset, buffer.count - offset)
          if n < 0 {
            if errno == EINTR { continue }
            throw POSIXFailure.error("write \(name)")
          }
          offset += n
        }
      }
      guard fsync(fileFD) == 0 else { throw POSIXFailure.error("fsync \(name)") }
      closed = true
      guard close(fileFD) == 0 else { throw POSIXFailure.error("close \(name)") }
      try directory.rename(temporary, to: directory, as: name)
      directory.sync()
    } catch {
      if !closed { close(fileFD) }
      directory.unlink(temporary)
      throw error
    }
  }

  /// Atomically replaces the file at an absolute or working-folder-relative `path`.
  ///
  /// The parent folder is trusted (it is opened normally); the file itself is never followed
  /// if it is a link: the rename replaces the link. Used by `tau debug-write` and tests.
  public static func write(_ data: Data, toPath path: String) throws {
    let url = URL(fileURLWithPath: path)
    let parent = try DirectoryHandle.open(root: url.deletingLastPathComponent().path)
    do {
      try write(data, named: url.lastPathComponent, in: parent)
    } catch let failure as POSIXFailure {
      throw ProjectError.io(failure.message)
    }
  }
}

/// `bytes` random bytes from the system's secure generator, as lowercase hex.
func randomHex(bytes: Int) -> String {
  var generator = SystemRandomNumberGenerator()
  var text = ""
  text.reserveCapacity(bytes * 2)
  for _ in 0..<bytes {
    let byte = UInt8.random(in: 0...255, using: &generator)
    text += String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
  }
  return text
}

/// `write(2)`, named so that it does not clash with `AtomicFile.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Darwin)
    Darwin.write(fd, buffer, count)
  #else
    Glibc.write(fd, buffer, count)
  #endif
}
