import Foundation
import Testing

@testable import Workers

/// JSON text read into `JSONValue` and written from it, as every step's messages are: the
/// same values Foundation's codecs give, and untrusted text refused with where and why.
@Suite("JSON text and JSONValue")
struct JSONValueTextTests {
  static let texts = [
    #"{"type":"state","step":120,"reward":0.9999937428473282,"obs":[0.1,-2.5e-7,3,1e300],"moved":false,"note":null}"#,
    #"[1, [2, [3, {}]], [], "", true]"#,
    #"{"text":"caf\u00e9 \ud83e\udd16 \"quoted\" back\\slash\/ tab\t new\nline","plain":"héllo 🤖"}"#,
    "  -0.5e+2  ",
    #""\u0001 control""#,
  ]

  @Test("Reads what Foundation's JSONDecoder reads, to the same values", arguments: texts)
  func readsAsFoundationDoes(text: String) throws {
    let ours = try JSONValue(parsing: Array(text.utf8))
    let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    #expect(ours == foundation)
  }

  @Test("What it writes reads back to the same value, in Foundation too", arguments: texts)
  func writesRoundTrip(text: String) throws {
    let value = try JSONValue(parsing: Array(text.utf8))
    let written = value.jsonText
    #expect(try JSONValue(parsing: Array(written.utf8)) == value)
    #expect(try JSONDecoder().decode(JSONValue.self, from: Data(written.utf8)) == value)
  }

  @Test("Whole numbers are written without a fraction; others exactly; non-finite as null")
  func numbers() {
    #expect(JSONValue.number(120).jsonText == "120")
    #expect(JSONValue.number(-3).jsonText == "-3")
    #expect(JSONValue.number(0.1).jsonText == "0.1")
    #expect(JSONValue.number(1e300).jsonText == "1e+300")
    #expect(JSONValue.number(.nan).jsonText == "null")
    #expect(JSONValue.array([.number(.infinity)]).jsonText == "[null]")
  }

  static let refused: [(text: String, reason: String)] = [
    ("", "a value was expected"),
    ("{", "a member name was expected"),
    (#"{"a" 1}"#, "':' was expected"),
    (#"{"a":1,}"#, "a member name was expected"),
    ("[1 2]", "',' or ']' was expected"),
    ("[1,]", "a value was expected"),
    ("01", "text after the value"),
    ("1.", "a digit was expected"),
    ("-", "a value was expected"),
    ("NaN", "a value was expected"),
    ("1e999", "a number out of range"),
    ("tru", "unknown literal"),
    (#""open"#, "the string is not closed"),
    ("\"tab\there\"", "a control character in a string"),
    (#""\x""#, "an unknown escape"),
    (#""\ud83e""#, "a lone surrogate"),
    (#""\u12""#, #"a \u escape needs 4 hex digits"#),
    ("{} {}", "text after the value"),
  ]

  @Test("Text that is not one JSON value is refused, saying why")
  func refusesInvalidText() {
    for (text, reason) in Self.refused {
      #expect(throws: JSONTextError.self, "\(text)") { try JSONValue(parsing: Array(text.utf8)) }
      do {
        _ = try JSONValue(parsing: Array(text.utf8))
      } catch {
        #expect(error.reason == reason, "\(text): \(error)")
      }
    }
  }

  @Test("Invalid UTF-8 in a string is refused")
  func refusesInvalidUTF8() {
    let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
    #expect(throws: JSONTextError.self) { try JSONValue(parsing: bytes) }
  }

  @Test("Nesting past the limit is refused, not a crash")
  func refusesDeepNesting() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONTextError.self) { try JSONValue(parsing: Array(deep.utf8)) }
    let depth = JSONValue.maximumDepth - 1
    let allowed = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    _ = try JSONValue(parsing: Array(allowed.utf8))
  }
}
