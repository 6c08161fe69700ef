import Foundation
import Testing
import Workers

@Suite("The worker protocol's frames")
struct FrameCodecTests {
  @Test("A frame survives encoding and decoding, header and payload")
  func roundTrip() throws {
    let frame = Frame(
      "render", ["width": 480, "camera": .object(["name": "side"])],
      payload: Frame.payload(doubles: [1.5, -2, .pi]))
    let bytes = try FrameCodec.encode(frame)
    let length = bytes.prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    #expect(length == bytes.count - 4)
    let decoded = try FrameCodec.decode(body: bytes.dropFirst(4))
    #expect(decoded == frame)
    #expect(decoded.doubles == [1.5, -2, .pi])
    #expect(decoded.type == "render")
  }

  @Test("A header that is not JSON is refused, not trusted")
  func badHeader() {
    var body = Data([3, 0, 0, 0])
    body.append(contentsOf: Array("{{{".utf8))
    #expect(throws: FrameError.self) { try FrameCodec.decode(body: body) }
  }

  @Test("A header length past the frame is refused")
  func badLength() {
    #expect(throws: FrameError.self) { try FrameCodec.decode(body: Data([200, 0, 0, 0, 1])) }
  }
}
