import AsyncHTTPClient
import NIOCore

extension VendorHTTP {
  /// How a streamed answer ended.
  enum StreamEnding: Sendable, Equatable {
    /// The handler saw the vendor's last event (OpenAI's `[DONE]`, Anthropic's
    /// `message_stop`) and stopped reading.
    case stopped
    /// The body ended as HTTP says it should.
    case closed
    /// The connection failed before the body's end.
    case brokeOff
  }

  /// Reads `body` as server-sent events, handing each to `handle` as soon as it is whole;
  /// `handle` returns false to stop reading. Errors `handle` throws end the stream.
  func readEvents(
    _ body: HTTPClientResponse.Body,
    _ handle: (ServerSentEvents.Event) throws -> Bool
  ) async throws -> StreamEnding {
    var parser = ServerSentEvents()
    var total = 0
    do {
      for try await chunk in body {
        total += chunk.readableBytes
        guard total <= Self.maximumBody else {
          throw ProviderError(
            .badResponse, provider: provider,
            "\(provider.displayName)'s stream is larger than \(Self.maximumBody >> 20) MiB")
        }
        for event in parser.feed(chunk.readableBytesView) {
          if try !handle(event) { return .stopped }
        }
      }
    } catch let error as ProviderError {
      throw error
    } catch {
      if error is CancellationError || Task.isCancelled { throw CancellationError() }
      return .brokeOff
    }
    // A cancelled task's body ends quietly rather than failing: say why it ended.
    try Task.checkCancellation()
    for event in parser.finish() {
      if try !handle(event) { return .stopped }
    }
    return .closed
  }

  /// The error for a stream that ended before the vendor said the answer was complete.
  func brokenStream(_ ending: StreamEnding) -> ProviderError {
    let how = ending == .brokeOff ? "the connection failed" : "it ended early"
    return ProviderError(
      .badResponse, provider: provider,
      "\(provider.displayName)'s streamed answer broke off before it was complete (\(how))")
  }
}
