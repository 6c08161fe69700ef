import Foundation
import Hummingbird
import NIOCore
import Projects
import Simulation
import WSCore

/// The live stream `WebSocket /ws/sim/{project_id}`.
///
/// The upgrade goes through every guard (Host, token, Origin, session
/// cookie) and needs a project of the caller's session; the episode itself
/// is `EpisodeStream`'s: this file only adapts the WebSocket. A refused
/// upgrade or a plain `GET` gets the guards' answer (403, 404 for an unknown
/// project), else a 400.
struct SimulationStreamRoutes {
  let store: ProjectStore
  let stream: EpisodeStream?

  /// Incoming control messages larger than this are refused by the socket.
  static let maximumMessageSize = 64 * 1024

  /// The upgrade route (on the upgrade router and the HTTP router alike).
  func register(on router: Router<TauRequestContext>) {
    let store = store
    let stream = stream
    router.webSocket("/ws/sim/:id") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      _ = try await store.run { try $0.project(session: session, id: id) }
    } onUpgrade: { inbound, outbound, context in
      let session = try context.requestContext.requireSession()
      let id = try context.requestContext.projectID()
      let project = try await store.run { try $0.projectURL(session: session, id: id) }
      guard let stream else {
        try await Self.unavailable(outbound)
        return
      }
      let incoming = TextMessages(messages: inbound.messages(maxSize: Self.maximumMessageSize))
      await stream.serve(
        session: session.rawValue, project: project, incoming: incoming,
        acknowledgements: context.poseAcknowledgements, readerExecutor: context.eventLoop,
        send: { [messages = context.messages] message in
          switch message {
          case .text(let text): try await messages.write(text: text)
          case .binary(let data): try await messages.write(binary: data)
          }
        },
        close: { try? await outbound.close(.normalClosure, reason: nil) })
    }
  }

  /// Without a simulation back end (tests of the HTTP layer alone): say so, in the stream's shapes.
  static func unavailable(_ outbound: WebSocketOutboundWriter) async throws {
    for event in [
      StreamEvent.log(level: .error, message: "simulation is not available on this server"),
      .done(totalReward: 0, reason: .simulationUnavailable, steps: 0),
    ] {
      guard case .text(let text) = EpisodeStream.message(event, binary: false) else { continue }
      try await outbound.write(.text(text))
    }
  }
}

/// The text messages of a WebSocket (a stream client sends no other), read by the stream
/// itself rather than relayed through a task of their own.
struct TextMessages: AsyncSequence, Sendable {
  let messages: WebSocketInboundMessageStream

  struct AsyncIterator: AsyncIteratorProtocol {
    var messages: WebSocketInboundMessageStream.AsyncIterator

    mutating func next() async throws -> String? {
      while let message = try await messages.next() {
        if case .text(let text) = message { return text }
      }
      return nil
    }
  }

  func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(messages: messages.makeAsyncIterator())
  }
}
