import Foundation

/// Encodes and decodes protocol frames (see `Frame` for the layout).
public enum FrameCodec {
  /// Frames above this size are refused: a worker never needs more, and a
  /// corrupt length must not make the reader allocate gigabytes.
  public static let maximumFrameSize = 256 * 1024 * 1024

  public static func encode(_ frame: Frame) throws -> Data {
    let header = Data(JSONValue.object(frame.header).jsonText.utf8)
    var data = Data(capacity: 8 + header.count + frame.payload.count)
    append(UInt32(4 + header.count + frame.payload.count), to: &data)
    append(UInt32(header.count), to: &data)
    data.append(header)
    data.append(frame.payload)
    return data
  }

  /// Decodes the body of a frame (everything after the length field).
  public static func decode(body: Data) throws -> Frame {
    guard body.count >= 4 else { throw FrameError.truncated }
    let headerLength = Int(readUInt32(body, at: body.startIndex))
    guard headerLength <= body.count - 4 else { throw FrameError.badHeaderLength(headerLength) }
    let headerStart = body.startIndex + 4
    let headerData = body[headerStart..<headerStart + headerLength]
    let header: [String: JSONValue]
    do {
      guard let object = try JSONValue(parsing: headerData).objectValue else {
        throw FrameError.badHeader("the header is not a JSON object")
      }
      header = object
    } catch let error as JSONTextError {
      throw FrameError.badHeader(error.description)
    }
    return Frame(header: header, payload: Data(body[(headerStart + headerLength)...]))
  }

  static func readUInt32(_ data: Data, at index: Data.Index) -> UInt32 {
    var value: UInt32 = 0
    for offset in 0..<4 { value |= UInt32(data[index + offset]) << (8 * UInt32(offset)) }
    return value
  }

  private static func append(_ value: UInt32, to data: inout Data) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
  }
}

/// A frame that cannot be read: the peer is broken or not a worker.
public enum FrameError: Error, CustomStringConvertible {
  case truncated
  case tooLarge(Int)
  case badHeaderLength(Int)
  case badHeader(String)

  public var description: String {
    switch self {
    case .truncated: return "worker frame truncated"
    case .tooLarge(let size): return "worker frame of \(size) bytes exceeds the limit"
    case .badHeaderLength(let size): return "worker frame header length \(size) is invalid"
    case .badHeader(let reason): return "worker frame header is not JSON: \(reason)"
    }
  }
}
