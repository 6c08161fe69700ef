import Hummingbird
import Logging
import NIOCore
import Simulation
import Synchronization
import WSCore

/// What a WebSocket handler sees: the upgrade request and the context its guards filled in
/// (the session, the route's parameters).
public struct WebSocketSessionContext: WebSocketContext {
  public let request: Request
  public let requestContext: TauRequestContext
  /// Where the connection's reader hands a 3D view's `pose_ack` (`PoseAckTap`).
  public let poseAcknowledgements: PoseAcknowledgements
  /// Writes data messages straight to the connection's channel.
  let messages: WebSocketMessageWriter
  /// The connection's event loop, as an executor for tasks that mostly write to it.
  let eventLoop: EventLoopTaskExecutor
  public var logger: Logger { requestContext.logger }

  /// The context of an upgrade accepted on `channel`, with the socket's own writer and
  /// acknowledgements (made here, once a route accepted, not for every connection).
  init(request: Request, requestContext: TauRequestContext, channel: any Channel) {
    self.request = request
    self.requestContext = requestContext
    poseAcknowledgements = PoseAcknowledgements()
    messages = WebSocketMessageWriter(eventLoop: channel.eventLoop)
    eventLoop = EventLoopTaskExecutor(channel.eventLoop)
  }
}

/// Where a WebSocket route leaves its handler for the connection to run once the 101 is sent.
///
/// `TauServerChannel` gives one to the upgrade request of a fresh connection; every other
/// request (the HTTP router's) has none, and a WebSocket route answers it with a 400.
final class WebSocketUpgradeSlot: Sendable {
  struct Accepted: Sendable {
    let handler: WebSocketDataHandler<WebSocketSessionContext>
    let context: WebSocketSessionContext
  }

  private let state = Mutex<Accepted?>(nil)
  /// The connection that may upgrade.
  let channel: any Channel

  init(channel: any Channel) {
    self.channel = channel
  }

  /// The route's handler, once the route accepted the upgrade.
  var accepted: Accepted? { state.withLock { $0 } }

  func accept(_ accepted: Accepted) {
    state.withLock { $0 = accepted }
  }
}

extension Router where Context == TauRequestContext {
  /// A `GET` route that upgrades to a WebSocket.
  ///
  /// `shouldUpgrade` throws to refuse (the error becomes the answer, like any route's);
  /// when it returns, `onUpgrade` runs on the socket. The same route on the HTTP router
  /// runs the same checks, so a request that cannot upgrade learns why.
  @discardableResult
  func webSocket(
    _ path: RouterPath,
    shouldUpgrade: @escaping @Sendable (Request, TauRequestContext) async throws -> Void,
    onUpgrade: @escaping WebSocketDataHandler<WebSocketSessionContext>
  ) -> Self {
    get(path) { request, context -> Response in
      try await shouldUpgrade(request, context)
      guard let slot = context.webSocketUpgrade else {
        throw HTTPError(
          .badRequest,
          message:
            "this address takes a WebSocket upgrade (Sec-WebSocket-Version 13 and a "
            + "Sec-WebSocket-Key) as the first request of its connection")
      }
      slot.accept(
        .init(
          handler: onUpgrade,
          context: .init(request: request, requestContext: context, channel: slot.channel)))
      return Response(status: .ok)
    }
    return self
  }
}
