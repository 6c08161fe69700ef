/// Writes one JSON object's text member by member, for the messages of every simulation step
/// (a stream's `frame`, a recording's telemetry line).
///
/// Building a `[String: JSONValue]` first and writing it after cost a dictionary, its hashing
/// and a boxed value per number, 60 times a second for each live view: more than the text.
/// Numbers and strings are written as `JSONValue.jsonText` writes them; keys are the
/// program's own names, plain ASCII, so they are copied as they are, without escaping.
public struct JSONObjectWriter {
  private var text: String
  private var empty = true

  public init(capacity: Int = 256) {
    text = ""
    text.reserveCapacity(capacity)
    text += "{"
  }

  public mutating func add(_ key: StaticString, _ number: Double) {
    self.key(key)
    JSONValue.write(number: number, to: &text)
  }

  public mutating func add(_ key: StaticString, _ string: String) {
    self.key(key)
    JSONValue.write(string: string, to: &text)
  }

  public mutating func add(_ key: StaticString, _ numbers: [Double]) {
    self.key(key)
    text += "["
    for (index, number) in numbers.enumerated() {
      if index > 0 { text += "," }
      JSONValue.write(number: number, to: &text)
    }
    text += "]"
  }

  /// The object's text; the writer is done with.
  public consuming func finish() -> String {
    text += "}"
    return text
  }

  private mutating func key(_ key: StaticString) {
    text += empty ? "\"" : ",\""
    empty = false
    key.withUTF8Buffer { text += String(decoding: $0, as: UTF8.self) }
    text += "\":"
  }
}
