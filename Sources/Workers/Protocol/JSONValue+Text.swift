import Foundation

/// JSON text to and from `JSONValue` directly, for the messages every simulation step
/// carries (a worker's frame header, a stream's telemetry, a 3D view's `pose_ack`).
///
/// `JSONDecoder` reaches a `JSONValue` by trying each type in turn, and every miss builds
/// and throws a `DecodingError` with its description: a step's header cost tens of
/// microseconds of errors. This reads each value once, by its first byte.
extension JSONValue {
  /// Values nested deeper than this are refused (the text is untrusted: a stream client's
  /// message, a worker running user code), so parsing never exhausts the stack.
  public static let maximumDepth = 128

  /// Parses one JSON text (RFC 8259), with nothing but whitespace after it.
  public init(parsing text: some DataProtocol) throws(JSONTextError) {
    // Callers mostly hold bytes already (the overloads below); others are copied once.
    let bytes: [UInt8] = Array(text)
    self = try bytes.withUnsafeBufferPointer { buffer throws(JSONTextError) in
      try Self.parse(buffer)
    }
  }

  /// Parses one JSON text held as an array, read in place.
  public init(parsing bytes: [UInt8]) throws(JSONTextError) {
    self = try bytes.withUnsafeBufferPointer { buffer throws(JSONTextError) in
      try Self.parse(buffer)
    }
  }

  /// Parses one JSON text held as `Data` (a worker frame's header), read in place.
  public init(parsing data: Data) throws(JSONTextError) {
    let parsed = data.withUnsafeBytes { raw in
      Result { () throws(JSONTextError) in try Self.parse(raw.assumingMemoryBound(to: UInt8.self)) }
    }
    self = try parsed.get()
  }

  private static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONTextError) -> JSONValue
  {
    var reader = JSONTextReader(bytes: buffer)
    let value = try reader.value(depth: 0)
    reader.skipWhitespace()
    guard reader.index == buffer.count else { throw reader.error("text after the value") }
    return value
  }

  /// The value as compact JSON text. A number that is whole is written without a fraction
  /// (as `JSONEncoder` writes it); one that is not finite, which JSON cannot say, as null.
  public var jsonText: String {
    var text = ""
    write(to: &text)
    return text
  }

  private func write(to text: inout String) {
    switch self {
    case .null: text += "null"
    case .bool(let value): text += value ? "true" : "false"
    case .number(let value): Self.write(number: value, to: &text)
    case .string(let value): Self.write(string: value, to: &text)
    case .array(let values):
      text += "["
      for (index, value) in values.enumerated() {
        if index > 0 { text += "," }
        value.write(to: &text)
      }
      text += "]"
    case .object(let members):
      text += "{"
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { text += "," }
        Self.write(string: key, to: &text)
        text += ":"
        value.write(to: &text)
      }
      text += "}"
    }
  }

  static func write(number: Double, to text: inout String) {
    guard number.isFinite else {
      text += "null"
      return
    }
    if number.rounded() == number, abs(number) < 1e15 {
      text += String(Int64(number))
    } else {
      number.write(to: &text)
    }
  }

  static func write(string: String, to text: inout String) {
    text += "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\n": text += "\\n"
      case "\r": text += "\\r"
      case "\t": text += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: text.unicodeScalars.append(scalar)
      }
    }
    text += "\""
  }
}

/// JSON text that is not one valid JSON value.
public struct JSONTextError: Error, CustomStringConvertible, Equatable {
  public let reason: String
  /// The byte offset where reading stopped.
  public let offset: Int

  public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// A recursive-descent reader over the bytes of one JSON text.
private struct JSONTextReader {
  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  func error(_ reason: String) -> JSONTextError { JSONTextError(reason: reason, offset: index) }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
        index += 1
      default: return
      }
    }
  }

  mutating func value(depth: Int) throws(JSONTextError) -> JSONValue {
    guard depth < JSONValue.maximumDepth else { throw error("nested too deeply") }
    skipWhitespace()
    guard index < bytes.count else { throw error("a value was expected") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default: return .number(try number())
    }
  }

  private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONTextError)
    -> JSONValue
  {
    let count = word.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw error("unknown literal") }
    for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
      throw error("unknown literal")
    }
    index += count
    return value
  }

  private mutating func object(depth: Int) throws(JSONTextError) -> JSONValue {
    index += 1  // {
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("a member name was expected")
      }
      let key = try string()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("':' was expected")
      }
      index += 1
      members[key] = try value(depth: depth + 1)
      skipWhitespace()
      guard index < bytes.count else { throw error("the object is not closed") }
      switch bytes[index] {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "}"):
        index += 1
        return .object(members)
      default: throw error("',' or '}' was expected")
      }
    }
  }

  private mutating func array(depth: Int) throws(JSONTextError) -> JSONValue {
    index += 1  // [
    var values: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(values)
    }
    while true {
      values.append(try value(depth: depth + 1))
      skipWhitespace()
      guard index < bytes.count else { throw error("the array is not closed") }
      switch bytes[index] {
      case UInt8(ascii: ","): index += 1
      case UInt8(ascii: "]"):
        index += 1
        return .array(values)
      default: throw error("',' or ']' was expected")
      }
    }
  }

  private mutating func string() throws(JSONTextError) -> String {
    index += 1  // "
    let start = index
    // The common case: no escapes, so the text is the bytes between the quotes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let text = try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<index]), at: start)
        index += 1
        return text
      }
      if byte == UInt8(ascii: "\\") { break }
      guard byte >= 0x20 else { throw error("a control character in a string") }
      index += 1
    }
    var unescaped = Array(bytes[start..<index])
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return try unescaped.withUnsafeBufferPointer { buffer throws(JSONTextError) in
          try Self.text(buffer, at: start)
        }
      case UInt8(ascii: "\\"):
        try escape(into: &unescaped)
      case ..<0x20:
        throw error("a control character in a string")
      default:
        unescaped.append(byte)
        index += 1
      }
    }
    throw error("the string is not closed")
  }

  private static func text(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int)
    throws(JSONTextError) -> String
  {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw JSONTextError(reason: "a string is not UTF-8", offset: offset)
    }
    return text
  }

  private mutating func escape(into text: inout [UInt8]) throws(JSONTextError) {
    index += 1  // backslash
    guard index < bytes.count else { throw error("the string is not closed") }
    let byte = bytes[index]
    index += 1
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
    case UInt8(ascii: "b"): text.append(0x08)
    case UInt8(ascii: "f"): text.append(0x0C)
    case UInt8(ascii: "n"): text.append(0x0A)
    case UInt8(ascii: "r"): text.append(0x0D)
    case UInt8(ascii: "t"): text.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try hexQuad()
      if (0xD800..<0xDC00).contains(scalar) {
        // A high surrogate: its low half must follow as another \u escape.
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
          bytes[index + 1] == UInt8(ascii: "u")
        else { throw error("a lone surrogate") }
        index += 2
        let low = try hexQuad()
        guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate") }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      }
      guard let unicode = Unicode.Scalar(scalar) else { throw error("a lone surrogate") }
      text.append(contentsOf: String(Character(unicode)).utf8)
    default: throw error("an unknown escape")
    }
  }

  private mutating func hexQuad() throws(JSONTextError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("a \\u escape needs 4 hex digits") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt8
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
      default: throw error("a \\u escape needs 4 hex digits")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  /// A number as JSON writes one: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
  private mutating func number() throws(JSONTextError) -> Double {
    let start = index
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw error("a value was expected") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else {
      skipDigits()
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit was expected") }
      skipDigits()
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit was expected") }
      skipDigits()
    }
    let digits = String(
      decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    guard let value = Double(digits), value.isFinite else {
      throw JSONTextError(reason: "a number out of range", offset: start)
    }
    return value
  }

  private func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private mutating func skipDigits() {
    while index < bytes.count, isDigit(bytes[index]) { index += 1 }
  }
}
