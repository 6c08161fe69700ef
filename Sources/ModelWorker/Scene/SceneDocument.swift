import Foundation

/// The container of a scene document (`docs/SCENE.md`): what a browser viewer needs to draw a
/// compiled model, in one response it can read without copying.
///
/// ```
/// "TAUSCENE" | u32 header length | header JSON (UTF-8) | zeros to a multiple of 8 | buffers
/// ```
///
/// All little-endian. The header names each buffer as `{offset, length, type}`, in bytes from
/// the start of the buffer area; every buffer starts at a multiple of 8 there, and the area
/// starts at a multiple of 8 in the document, so a client can view an `f32` or `u32` buffer
/// in place (`new Float32Array(bytes, areaStart + offset, length / 4)`).
enum SceneDocument {
  static let magic = Data("TAUSCENE".utf8)

  /// The largest document a worker makes: far above any Menagerie scene (the Panda's is about
  /// 12 MiB), low enough that a browser and the server's cache hold it easily.
  static let maximumBytes = 128 * 1024 * 1024

  /// What one buffer holds.
  enum BufferType: String, Codable, Sendable {
    case f32, u32, u8, png
  }

  /// Where a buffer lies in the buffer area.
  struct BufferReference: Codable, Equatable, Sendable {
    var offset: Int
    var length: Int
    var type: BufferType
  }

  /// The buffers of a document as they are added, kept under the document's bound so an
  /// oversized model is refused before its buffers are all made.
  struct Buffers {
    private(set) var data = Data()
    /// Bytes the header and the framing will need, counted against the bound early.
    var reserved = 0

    mutating func append(_ bytes: Data, as type: BufferType) throws -> BufferReference {
      let padding = (8 - data.count % 8) % 8
      let offset = data.count + padding
      try Self.check(offset + bytes.count + reserved)
      data.append(Data(count: padding))
      data.append(bytes)
      return BufferReference(offset: offset, length: bytes.count, type: type)
    }

    /// Float32 values, as WebGL takes them.
    mutating func append(floats: [Float]) throws -> BufferReference {
      try floats.withUnsafeBytes { try append(Data($0), as: .f32) }
    }

    mutating func append(indices: [UInt32]) throws -> BufferReference {
      try indices.withUnsafeBytes { try append(Data($0), as: .u32) }
    }

    /// Throws when a document of `size` bytes would pass the bound.
    static func check(_ size: Int) throws {
      guard size <= SceneDocument.maximumBytes else {
        throw SceneDocumentError.tooLarge(bytes: size, limit: SceneDocument.maximumBytes)
      }
    }
  }

  /// The document: magic, header length, `header`, padding, then `buffers`.
  static func encode(header: Data, buffers: Data) throws -> Data {
    let start = bufferAreaStart(headerLength: header.count)
    try Buffers.check(start + buffers.count)
    var document = Data(capacity: start + buffers.count)
    document.append(magic)
    withUnsafeBytes(of: UInt32(header.count).littleEndian) { document.append(contentsOf: $0) }
    document.append(header)
    document.append(Data(count: start - document.count))
    document.append(buffers)
    return document
  }

  /// Where the buffers start for a header of `headerLength` bytes.
  static func bufferAreaStart(headerLength: Int) -> Int {
    let end = magic.count + 4 + headerLength
    return (end + 7) / 8 * 8
  }

  /// A document's header JSON and where its buffer area starts; throws when the framing is
  /// wrong (for tests and tools; the server passes documents on unread).
  static func read(_ document: Data) throws -> (header: Data, bufferStart: Int) {
    let bytes = [UInt8](document.prefix(magic.count + 4))
    guard bytes.count == magic.count + 4, Data(bytes.prefix(magic.count)) == magic else {
      throw SceneDocumentError.malformed("not a scene document (no TAUSCENE magic)")
    }
    let length = bytes[8...].reversed().reduce(0) { $0 << 8 | Int($1) }
    let start = bufferAreaStart(headerLength: length)
    guard magic.count + 4 + length <= document.count, start <= document.count else {
      throw SceneDocumentError.malformed("the header runs past the document's end")
    }
    let base = document.startIndex
    return (document[(base + 12)..<(base + 12 + length)], start)
  }
}

/// Why a model has no scene document.
enum SceneDocumentError: Error, CustomStringConvertible {
  case tooLarge(bytes: Int, limit: Int)
  case malformed(String)

  var description: String {
    switch self {
    case .tooLarge(let bytes, let limit):
      return "the model's scene document would be at least \((bytes + (1 << 20) - 1) >> 20) MiB, "
        + "more than the \(limit >> 20) MiB a viewer is sent (fewer or simpler meshes and "
        + "smaller textures make it smaller)"
    case .malformed(let why): return why
    }
  }
}
