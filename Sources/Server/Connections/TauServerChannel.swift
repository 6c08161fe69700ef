import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
@_spi(WSInternal) import WSCore

/// Settings of the server's WebSocket connections.
public struct WebSocketSettings: Sendable {
  /// The largest frame a client may send.
  public var maxFrameSize = 1 << 20
  /// Pings keep idle sockets alive through proxies and find dead peers.
  public var autoPing = AutoPingSetup.enabled(timePeriod: .seconds(30))
  /// How long a closing handshake may take before the socket is dropped.
  public var closeTimeout = Duration.seconds(15)
  /// A connection that sends nothing for this long is closed (longer than the ping period,
  /// whose pongs keep a live WebSocket reading).
  public var idleTimeout = Duration.seconds(75)

  public init() {}
}

/// One connection of the tau server: HTTP/1.1, whose first request may upgrade to a WebSocket.
///
/// An upgrade request goes through `upgrades` (a router holding only the WebSocket routes,
/// behind the same guards as every route). When a route accepts, the 101 goes out and the
/// route's handler runs on the socket. When anything refuses (a guard, the route, a WebSocket
/// version we do not speak, a protocol other than WebSocket), the HTTP router answers the
/// request as it answers any: a foreign Origin gets its 403 and detail, an unknown project its
/// 404, and the connection closes.
///
/// This replaces hummingbird-websocket's `HTTP1WebSocketUpgradeChannel`, which answers every
/// refused upgrade with a bare 400 and keeps the reason to itself. NIO's upgrade handler does
/// not pass a refused request on (it consumed it), so `UpgradeRequestRecorder` keeps it for
/// the HTTP router. Running the socket takes WSCore's `WebSocketHandler`, which that package
/// shares with its sister modules as SPI.
struct TauServerChannel<Upgrades: HTTPResponder>: ServerChildChannel, HTTPChannelHandler
where Upgrades.Context == TauRequestContext {
  /// What the first request of a connection turned it into.
  enum Negotiated: Sendable {
    case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    /// An upgrade refused: `request` is to be answered over HTTP, then the connection closes.
    case refusedUpgrade(
      NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, request: HTTPRequestHead)
    case webSocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketUpgradeSlot.Accepted)
  }

  struct Value: ServerChildChannelValue {
    let negotiated: EventLoopFuture<Negotiated>
    let channel: any Channel
  }

  /// The HTTP router.
  let responder: Responder
  let upgrades: Upgrades
  let settings: WebSocketSettings
  let gate: ConnectionGate
  let requestHeadTimeout: Duration

  func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
    let address = channel.remoteAddress?.ipAddress ?? "unknown"
    if case .failure(let refusal) = gate.admit(address) {
      // Answered with a 503 when the socket is active, then closed; `handle` sees the refusal.
      logger.notice("connection refused: \(refusal.detail)")
      return channel.eventLoop.makeCompletedFuture {
        try channel.pipeline.syncOperations.addHandler(RefusedConnection(refusal))
        return Value(negotiated: channel.eventLoop.makeFailedFuture(refusal), channel: channel)
      }
    }
    channel.closeFuture.whenComplete { [gate] _ in gate.release(address) }
    return channel.eventLoop.makeCompletedFuture {
      let slot = WebSocketUpgradeSlot(channel: channel)
      let recorder = UpgradeRequestRecorder(eventLoop: channel.eventLoop)
      let recorded = recorder.upgradeRequest
      let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
        maxFrameSize: settings.maxFrameSize,
        shouldUpgrade: { channel, head in
          let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
          promise.completeWithTask {
            await decide(head, channel: channel, slot: slot, logger: logger)
          }
          return promise.futureResult
        },
        upgradePipelineHandler: { channel, _ in
          channel.eventLoop.makeCompletedFuture {
            // `shouldUpgrade` only says yes after the route filled the slot.
            guard let accepted = slot.accepted else {
              throw ChannelError.inappropriateOperationForState
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(PoseAckTap(accepted.context.poseAcknowledgements))
            // The stream's messages come framed already: they join the pipeline nearer the
            // socket than NIO's encoder (`WebSocketMessageWriter`).
            try pipeline.addHandler(
              accepted.context.messages.makeOutlet(),
              position: .before(try pipeline.handler(type: WebSocketFrameEncoder.self)))
            let socket = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
              wrappingChannelSynchronously: channel,
              configuration: .init(isOutboundHalfClosureEnabled: true))
            return .webSocket(socket, accepted)
          }
        })
      let upgrading = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
        upgraders: [upgrader],
        notUpgradingCompletionHandler: { channel in
          channel.eventLoop.makeCompletedFuture {
            let http = try Self.httpChannel(channel, idleTimeout: settings.idleTimeout, logger)
            guard let refused = recorded.value else { return .http(http) }
            return .refusedUpgrade(http, request: refused)
          }
        })
      var configuration = NIOUpgradableHTTPServerPipelineConfiguration(
        upgradeConfiguration: upgrading)
      // As Hummingbird's own HTTP/1 channel: NIOAsyncChannel serialises requests, Hummingbird
      // answers errors, and HTTPTypes already validated the response headers.
      configuration.enablePipelining = false
      configuration.enableErrorHandling = false
      configuration.enableResponseHeaderValidation = false
      let pipeline = channel.pipeline.syncOperations
      try pipeline.addHandler(DisconnectWatcher(eventLoop: channel.eventLoop), position: .first)
      // Until the first request is read: a connection that never sends one is closed. Then
      // Hummingbird's handler closes an HTTP connection idle between requests, and pings
      // find a dead WebSocket.
      let idle = IdleStateHandler(readTimeout: TimeAmount(settings.idleTimeout))
      let closer = CloseWhenIdle()
      try pipeline.addHandler(idle, name: "tau.idle")
      try pipeline.addHandler(closer, name: "tau.close-when-idle")
      let negotiated = try pipeline.configureUpgradableHTTPServerPipeline(
        configuration: configuration)
      let upgradeHandler = try pipeline.handler(
        type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
      try pipeline.addHandler(recorder, position: .before(upgradeHandler))
      // A malformed first request (an upgrade with a body, parts out of order): nothing can
      // answer it, so the connection closes at once, before an upgrade still being decided
      // could send its 101, rather than leaving the client waiting.
      negotiated.whenFailure { _ in channel.close(promise: nil) }
      // However slowly its bytes come, a first request head that is not whole in time closes
      // the connection (each byte would restart the idle timer).
      let headDeadline = channel.eventLoop.scheduleTask(in: TimeAmount(requestHeadTimeout)) {
        channel.close(promise: nil)
      }
      negotiated.whenComplete { _ in headDeadline.cancel() }
      negotiated.whenSuccess { _ in
        // By name: the handlers themselves are not Sendable.
        channel.pipeline.removeHandler(name: "tau.idle", promise: nil)
        channel.pipeline.removeHandler(name: "tau.close-when-idle", promise: nil)
      }
      return Value(negotiated: negotiated, channel: channel)
    }
  }

  func handle(value: Value, logger: Logger) async {
    do {
      switch try await value.negotiated.get() {
      case .http(let http):
        await handleHTTP(asyncChannel: http, logger: logger)
      case .refusedUpgrade(let http, let request):
        await answer(request, on: http, logger: logger)
      case .webSocket(let socket, let accepted):
        await run(socket, accepted: accepted, logger: logger)
      }
    } catch is ConnectionGate.Refusal {
      logger.trace("connection refused by the connection limits")
    } catch let error as ChannelError where error == .inputClosed {
      logger.trace("connection closed before its first request")
    } catch {
      logger.debug("connection failed before its first request: \(error)")
    }
  }

  /// Runs the upgrade request through the WebSocket routes: the response headers of the 101
  /// when a route accepted it, nil to refuse.
  private func decide(
    _ head: HTTPRequestHead, channel: any Channel, slot: WebSocketUpgradeSlot, logger: Logger
  ) async -> HTTPHeaders? {
    guard let head = try? HTTPRequest(head, secure: false, splitCookie: false) else { return nil }
    var context = TauRequestContext(source: .init(channel: channel, logger: logger))
    context.webSocketUpgrade = slot
    let request = Request(head: head, body: .init(buffer: ByteBuffer()))
    guard let response = try? await upgrades.respond(to: request, context: context),
      response.status == .ok, slot.accepted != nil
    else { return nil }
    return HTTPHeaders(response.headers)
  }

  /// Answers a refused upgrade request with the HTTP router, then closes the connection.
  private func answer(
    _ head: HTTPRequestHead, on http: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>,
    logger: Logger
  ) async {
    do {
      try await http.executeThenClose { _, outbound in
        let head = try HTTPRequest(head, secure: false, splitCookie: false)
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        try await responder(request, ResponseWriter(outbound: outbound), http.channel)
      }
    } catch {
      logger.debug("could not answer a refused upgrade: \(error)")
    }
  }

  private func run(
    _ socket: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>,
    accepted: WebSocketUpgradeSlot.Accepted, logger: Logger
  ) async {
    do {
      _ = try await WebSocketHandler.handle(
        type: .server,
        configuration: .init(
          extensions: [], autoPing: settings.autoPing, closeTimeout: settings.closeTimeout,
          validateUTF8: true, maxFrameSize: settings.maxFrameSize),
        asyncChannel: socket,
        context: accepted.context,
        handler: accepted.handler)
    } catch {
      logger.debug("WebSocket ended with an error: \(error)")
    }
  }

  /// The pipeline of a connection that stays HTTP, as Hummingbird's HTTP/1 channel builds it.
  private static func httpChannel(
    _ channel: any Channel, idleTimeout: Duration, _ logger: Logger
  ) throws
    -> NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>
  {
    let pipeline = channel.pipeline.syncOperations
    try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
    try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
    return try NIOAsyncChannel(
      wrappingChannelSynchronously: channel,
      configuration: .init(isOutboundHalfClosureEnabled: true))
  }
}

extension HTTPServerBuilder {
  /// HTTP/1.1 whose connections may upgrade to a WebSocket through `upgrades`' routes; a
  /// refused upgrade is answered by the HTTP router.
  static func tau<Upgrades: HTTPResponder>(
    upgrades: Upgrades, settings: WebSocketSettings, connections: ConnectionLimits
  ) -> HTTPServerBuilder
  where Upgrades.Context == TauRequestContext {
    let gate = ConnectionGate(connections)
    return .init { responder in
      TauServerChannel(
        responder: responder, upgrades: upgrades, settings: settings, gate: gate,
        requestHeadTimeout: connections.requestHeadTimeout)
    }
  }
}

/// Closes a connection that has read nothing for the idle timeout (`IdleStateHandler`).
final class CloseWhenIdle: ChannelInboundHandler, RemovableChannelHandler, Sendable {
  typealias InboundIn = NIOAny

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if event is IdleStateHandler.IdleStateEvent {
      context.close(promise: nil)
    } else {
      context.fireUserInboundEventTriggered(event)
    }
  }
}

extension TimeAmount {
  init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}
