import Assistant
import Foundation
import Testing

@Suite("Vendor HTTP: connections, timeouts, cancellation")
struct VendorHTTPTests {
  static let firstPiece =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"one é\"},\"finish_reason\":null}]}\n\n"
  static let secondPiece =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" two\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"

  /// A stream that sends one piece, then stops sending for long.
  static var stalledStream: VendorServer.Reply {
    var reply = VendorServer.Reply.stream(firstPiece)
    reply.chunks = [Array(firstPiece.utf8), Array(secondPiece.utf8)]
    reply.stallsAfter = 1
    return reply
  }

  /// Polls `condition` (bounded, so a failure ends the test instead of hanging it).
  static func eventually(_ condition: () -> Bool) async throws {
    for _ in 0..<1000 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
  }

  @Test("A server that is not there is unreachable, naming its host")
  func unreachable() async throws {
    let port = try await VendorServer.closedPort()
    let provider = OpenAIChatProvider(
      id: .openai, settings: testSettings(baseURL: "http://127.0.0.1:\(port)/v1"))
    let error = try #require(
      await providerError { try await provider.complete(sampleRequest(format: .text), onText: nil) }
    )
    #expect(error.kind == .unreachable && error.status == nil)
    #expect(error.message == "OpenAI could not be reached at 127.0.0.1 (connection refused)")
  }

  @Test("Cancelling the task cancels the request in flight")
  func cancellation() async throws {
    try await VendorServer.run([Self.stalledStream]) { server in
      let openai = OpenAIChatProvider(id: .openai, settings: testSettings(server))
      let pieces = TextPieces()
      let task = Task {
        try await openai.complete(sampleRequest(format: .text), onText: pieces.onText)
      }
      try await Self.eventually { !pieces.all.isEmpty }
      #expect(pieces.all == ["one é"])
      task.cancel()
      let result = await task.result
      #expect(throws: CancellationError.self) { try result.get() }
      try await Self.eventually { server.closedWhileAnswering > 0 }
      #expect(server.closedWhileAnswering == 1)
    }
  }

  @Test("An answer that outlasts the total timeout fails as a timeout")
  func totalTimeout() async throws {
    try await VendorServer.run([Self.stalledStream]) { server in
      var settings = testSettings(server)
      settings.totalTimeout = .milliseconds(300)
      let provider = OpenAIChatProvider(id: .openai, settings: settings)
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: TextPieces().onText)
        })
      #expect(error.kind == .timeout)
      #expect(error.message == "OpenAI did not answer within 0.3 seconds")
      try await Self.eventually { server.closedWhileAnswering > 0 }
      #expect(server.closedWhileAnswering == 1)
      #expect(server.requests.count == 1)
    }
  }

  @Test("A proxy's HTML error page is left out of the message")
  func htmlErrorPage() async throws {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    try await VendorServer.run([.json(502, page), .json(502, page), .json(502, page)]) { server in
      let provider = AnthropicProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.message == "Anthropic failed (502) after 3 attempts")
    }
  }

  @Test("A vendor's long message is cut to a bounded length")
  func longMessage() async throws {
    let long = String(repeating: "word ", count: 400)
    try await VendorServer.run([.json(400, #"{"error":{"message":"\#(long)"}}"#)]) { server in
      let provider = GeminiProvider(settings: testSettings(server))
      let error = try #require(
        await providerError {
          try await provider.complete(sampleRequest(format: .text), onText: nil)
        })
      #expect(error.kind == .badRequest && error.message.count < 400)
      #expect(error.message.hasPrefix("Gemini refused the request (400): word word"))
    }
  }
}
