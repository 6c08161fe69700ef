import Foundation

/// A scene document (`docs/SCENE.md`) read the way a browser reads it, written apart from the
/// worker's encoder so the tests check the format rather than the code against itself.
///
/// Unchecked Sendable: `[String: Any]` from JSONSerialization holds only immutable
/// Foundation values.
public struct SceneDocumentReader: @unchecked Sendable {
  public let header: [String: Any]
  /// The buffer area: the bytes after the header and its padding.
  public let buffers: Data
  public let bufferStart: Int

  public struct FormatError: Error, CustomStringConvertible {
    public var description: String
  }

  public init(_ document: Data) throws {
    let bytes = [UInt8](document)
    guard bytes.count >= 12, String(decoding: bytes[0..<8], as: UTF8.self) == "TAUSCENE" else {
      throw FormatError(description: "no TAUSCENE magic")
    }
    let length =
      Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    guard 12 + length <= bytes.count else { throw FormatError(description: "header too long") }
    let json = Data(bytes[12..<(12 + length)])
    guard let header = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
      throw FormatError(description: "the header is not a JSON object")
    }
    let start = (12 + length + 7) / 8 * 8
    guard start <= bytes.count, bytes[(12 + length)..<start].allSatisfy({ $0 == 0 }) else {
      throw FormatError(description: "the header's padding is not zeros")
    }
    self.header = header
    self.bufferStart = start
    self.buffers = Data(bytes[start...])
  }

  public func list(_ key: String) -> [[String: Any]] { header[key] as? [[String: Any]] ?? [] }

  /// A buffer's bytes; throws when its reference is not whole, aligned and inside the area.
  public func bytes(_ reference: Any?) throws -> Data {
    guard let reference = reference as? [String: Any],
      let offset = reference["offset"] as? Int, let length = reference["length"] as? Int,
      let type = reference["type"] as? String
    else {
      throw FormatError(description: "not a buffer reference: \(String(describing: reference))")
    }
    guard offset >= 0, length >= 0, offset % 8 == 0, offset + length <= buffers.count else {
      throw FormatError(description: "buffer \(offset)+\(length) lies outside \(buffers.count)")
    }
    guard ["f32", "u32", "u8", "png"].contains(type) else {
      throw FormatError(description: "unknown buffer type \(type)")
    }
    if type == "f32" || type == "u32", length % 4 != 0 {
      throw FormatError(description: "a \(type) buffer of \(length) bytes")
    }
    return buffers.subdata(in: offset..<(offset + length))
  }

  public func floats(_ reference: Any?) throws -> [Float] {
    let data = try bytes(reference)
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }

  public func indices(_ reference: Any?) throws -> [UInt32] {
    let data = try bytes(reference)
    return data.withUnsafeBytes { Array($0.bindMemory(to: UInt32.self)) }
  }
}
