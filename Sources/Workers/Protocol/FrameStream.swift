import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Blocking frame I/O on a file descriptor, for worker processes and for the
/// parent's reader threads (never for an event loop).
public struct FrameStream: Sendable {
  public let descriptor: Int32

  public init(descriptor: Int32) { self.descriptor = descriptor }

  /// Reads the next frame; nil at end of file.
  public func read() throws -> Frame? { try readSized()?.frame }

  /// Reads the next frame and its size on the wire; nil at end of file.
  func readSized() throws -> (frame: Frame, size: Int)? {
    guard let lengthBytes = try readExactly(4) else { return nil }
    let length = Int(FrameCodec.readUInt32(lengthBytes, at: lengthBytes.startIndex))
    guard length <= FrameCodec.maximumFrameSize else { throw FrameError.tooLarge(length) }
    guard let body = try readExactly(length) else { throw FrameError.truncated }
    return (try FrameCodec.decode(body: body), length)
  }

  public func write(_ frame: Frame) throws {
    let data = try FrameCodec.encode(frame)
    try data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let written = Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        offset += written
      }
    }
  }

  /// Reads exactly `count` bytes; nil when the stream ends before the first.
  private func readExactly(_ count: Int) throws -> Data? {
    var data = Data(count: count)
    var offset = 0
    while offset < count {
      let received = data.withUnsafeMutableBytes { raw in
        Glibc.read(descriptor, raw.baseAddress! + offset, count - offset)
      }
      if received < 0 {
        if errno == EINTR { continue }
        throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
      }
      if received == 0 {
        if offset == 0 { return nil }
        throw FrameError.truncated
      }
      offset += received
    }
    return data
  }
}
