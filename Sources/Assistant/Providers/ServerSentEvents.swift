/// An incremental parser of server-sent events (`text/event-stream`, how every vendor
/// streams an answer). It is fed the body's bytes as they arrive, in chunks cut anywhere,
/// and yields each event once its blank line is seen. A line is kept as bytes until its end
/// arrives, so a UTF-8 character cut between two chunks is decoded whole.
struct ServerSentEvents {
  /// One event: the `event:` field (nil when absent) and its `data:` lines joined by "\n".
  struct Event: Sendable, Equatable {
    var event: String?
    var data: String

    init(event: String? = nil, data: String) {
      self.event = event
      self.data = data
    }
  }

  private var line: [UInt8] = []
  /// The last byte was a CR: a LF right after it ends the same line, even in the next chunk.
  private var afterCarriageReturn = false
  private var firstLine = true
  private var eventName: String?
  private var dataLines: [String] = []
  private var hasData = false

  init() {}

  /// The events completed by `bytes`.
  mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
    var events: [Event] = []
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\n") where afterCarriageReturn:
        afterCarriageReturn = false
      case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        afterCarriageReturn = byte == UInt8(ascii: "\r")
        if let event = endLine() { events.append(event) }
      default:
        afterCarriageReturn = false
        line.append(byte)
      }
    }
    return events
  }

  /// The event left when the stream closes. The format wants a blank line after the last
  /// event, but a vendor that closes the connection right after its last `data:` line
  /// (Gemini's end of stream) still meant it.
  mutating func finish() -> [Event] {
    var events: [Event] = []
    if !line.isEmpty, let event = endLine() { events.append(event) }
    if let event = dispatch() { events.append(event) }
    return events
  }

  private mutating func endLine() -> Event? {
    var bytes = line[...]
    line.removeAll(keepingCapacity: true)
    if firstLine {
      firstLine = false
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    }
    if bytes.isEmpty { return dispatch() }
    // A comment (OpenRouter's `: OPENROUTER PROCESSING` keep-alives).
    if bytes.first == UInt8(ascii: ":") { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    let field: Substring
    var value: Substring
    if let colon = text.firstIndex(of: ":") {
      field = text[..<colon]
      value = text[text.index(after: colon)...]
      if value.first == " " { value = value.dropFirst() }
    } else {
      field = text[...]
      value = ""
    }
    switch field {
    case "data":
      dataLines.append(String(value))
      hasData = true
    case "event":
      eventName = String(value)
    default:
      // `id:` and `retry:` matter only to a browser that reconnects; we never resume.
      break
    }
    return nil
  }

  /// The event gathered since the last blank line; none when it had no data (as the format
  /// says), and the fields start afresh either way.
  private mutating func dispatch() -> Event? {
    defer {
      eventName = nil
      dataLines.removeAll()
      hasData = false
    }
    guard hasData else { return nil }
    return Event(event: eventName, data: dataLines.joined(separator: "\n"))
  }
}
