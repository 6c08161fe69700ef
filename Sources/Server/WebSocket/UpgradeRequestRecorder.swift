import NIOCore
import NIOHTTP1

/// Keeps the first request of a connection when it asks for an upgrade.
///
/// NIO's upgrade handler consumes such a request: when no upgrader takes it, the HTTP side of
/// the connection never sees it. `TauServerChannel` puts this handler just before NIO's, so a
/// refused upgrade can still be answered. It steps out of the pipeline after that first head.
final class UpgradeRequestRecorder: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias InboundOut = HTTPServerRequestPart

  /// The first request, when it named an `Upgrade` (read on the connection's event loop).
  let upgradeRequest: NIOLoopBoundBox<HTTPRequestHead?>

  init(eventLoop: any EventLoop) {
    upgradeRequest = NIOLoopBoundBox(nil, eventLoop: eventLoop)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    guard case .head(let head) = unwrapInboundIn(data) else {
      context.fireChannelRead(data)
      return
    }
    // The same test as NIO's upgrade handler: any Upgrade value starts an upgrade attempt.
    if !head.headers[canonicalForm: "upgrade"].isEmpty {
      upgradeRequest.value = head
    }
    context.fireChannelRead(data)
    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
  }
}
