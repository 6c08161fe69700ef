import Foundation

/// One message of the worker protocol, in either direction.
///
/// On the wire: `u32 length | u32 header length | header JSON | payload`,
/// little-endian, where `length` counts everything after itself. The header
/// names the message (`type`) and carries its small fields; the payload holds
/// bulk bytes (float64 arrays, encoded images).
public struct Frame: Sendable, Equatable {
  public var header: [String: JSONValue]
  public var payload: Data

  public init(_ type: String, _ fields: [String: JSONValue] = [:], payload: Data = Data()) {
    var header = fields
    header["type"] = .string(type)
    self.header = header
    self.payload = payload
  }

  public init(header: [String: JSONValue], payload: Data) {
    self.header = header
    self.payload = payload
  }

  /// The message name (`hello`, `render`, `image`, `error`, ...).
  public var type: String { header["type"]?.stringValue ?? "" }

  public subscript(key: String) -> JSONValue? { header[key] }

  /// The payload read as little-endian float64 numbers.
  public var doubles: [Double] { Self.doubles(in: payload) }

  /// `bytes` read as little-endian float64 numbers (a trailing part of one is left out).
  /// Copied as one block: through `DataProtocol`'s generic copy, every state of a live
  /// stream cost more than its parse.
  public static func doubles(in bytes: Data) -> [Double] {
    let count = bytes.count / 8
    return [Double](unsafeUninitializedCapacity: count) { values, initialized in
      bytes.withUnsafeBytes { raw in
        UnsafeMutableRawBufferPointer(values).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw.prefix(count * 8)))
      }
      initialized = count
    }
  }

  /// A payload of float64 numbers (the platform is little-endian, as is the protocol).
  public static func payload(doubles: [Double]) -> Data {
    doubles.withUnsafeBytes { Data($0) }
  }
}
