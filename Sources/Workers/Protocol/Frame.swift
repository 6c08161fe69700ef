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
  public var doubles: [Double] {
    let count = payload.count / 8
    var values = [Double](repeating: 0, count: count)
    _ = values.withUnsafeMutableBytes { payload.copyBytes(to: $0, count: count * 8) }
    return values
  }

  /// A payload of float64 numbers (the platform is little-endian, as is the protocol).
  public static func payload(doubles: [Double]) -> Data {
    doubles.withUnsafeBytes { Data($0) }
  }
}
