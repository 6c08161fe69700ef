import Testing

@testable import Assistant

@Suite("Server-sent events")
struct ServerSentEventsTests {
  typealias Event = ServerSentEvents.Event

  static let sample =
    ": OPENROUTER PROCESSING\r\n\r\n"
    + "event: message_start\r\ndata: {\"text\":\"café → ünïcödé 🚀\"}\r\n\r\n"
    + "data: line one\ndata: line two é\n\n"
    + ":comment without a space\n"
    + "id: 7\nretry: 100\ndata:no space\n\n"
    + "data: [DONE]\r\n\r\n"

  static let sampleEvents = [
    Event(event: "message_start", data: #"{"text":"café → ünïcödé 🚀"}"#),
    Event(data: "line one\nline two é"),
    Event(data: "no space"),
    Event(data: "[DONE]"),
  ]

  static func parse(_ chunks: [[UInt8]]) -> [Event] {
    var parser = ServerSentEvents()
    var events: [Event] = []
    for chunk in chunks { events += parser.feed(chunk) }
    return events + parser.finish()
  }

  @Test("Comments are skipped, CRLF and LF both end lines, data lines join with a newline")
  func wholeStream() {
    #expect(Self.parse([Array(Self.sample.utf8)]) == Self.sampleEvents)
  }

  @Test("Cut into two chunks at any byte, the stream gives the same events")
  func everyCut() {
    let bytes = Array(Self.sample.utf8)
    for cut in 0...bytes.count {
      let events = Self.parse([Array(bytes[..<cut]), Array(bytes[cut...])])
      #expect(events == Self.sampleEvents, "cut at byte \(cut)")
    }
  }

  @Test("Fed a byte at a time, the stream gives the same events")
  func byteAtATime() {
    #expect(Self.parse(Self.sample.utf8.map { [$0] }) == Self.sampleEvents)
  }

  @Test("Events are yielded as soon as their blank line arrives")
  func incremental() {
    var parser = ServerSentEvents()
    #expect(parser.feed(Array("data: a\n".utf8)).isEmpty)
    #expect(parser.feed(Array("\ndata: b".utf8)) == [Event(data: "a")])
    #expect(parser.feed(Array("\r".utf8)).isEmpty)
    #expect(parser.feed(Array("\n\r\n".utf8)) == [Event(data: "b")])
  }

  @Test("A lone CR ends a line; a BOM at the start is dropped")
  func carriageReturnsAndBOM() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: x\r\rdata: y\r\r".utf8)
    #expect(Self.parse([bytes]) == [Event(data: "x"), Event(data: "y")])
  }

  @Test("The last event counts even when the stream closes without its blank line")
  func unterminatedLastEvent() {
    #expect(
      Self.parse([Array("data: {\"a\":1}\n\ndata: {\"b\":2}".utf8)]) == [
        Event(data: #"{"a":1}"#), Event(data: #"{"b":2}"#),
      ])
  }

  @Test("An event without data is not dispatched; an empty data line is")
  func emptyEvents() {
    #expect(Self.parse([Array("event: ping\n\ndata:\n\n".utf8)]) == [Event(data: "")])
  }
}
