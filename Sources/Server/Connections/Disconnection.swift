import Hummingbird
import NIOCore

/// The client of a request closed its connection before the answer was ready.
struct ClientDisconnected: Error {}

extension TauRequestContext {
  /// Runs `body`, cancelled when the client closes its connection: long work done only for
  /// this client (a video export) ends when it leaves instead of holding workers for nothing.
  func cancellingOnDisconnect<T: Sendable>(_ body: @escaping @Sendable () async throws -> T)
    async throws -> T
  {
    guard let channel,
      let watcher = try? await channel.pipeline.handler(type: DisconnectWatcher.self).get()
    else { return try await body() }
    // A stream that ends when the client goes: waiting on it can be cancelled, where waiting
    // on the future itself cannot.
    let closed = AsyncStream<Void> { continuation in
      watcher.gone.futureResult.whenComplete { _ in continuation.finish() }
    }
    return try await withThrowingTaskGroup(of: T?.self) { group in
      group.addTask { try await body() }
      group.addTask {
        for await _ in closed {}
        try Task.checkCancellation()
        return nil
      }
      defer { group.cancelAll() }
      guard let first = try await group.next(), let value = first else {
        throw ClientDisconnected()
      }
      return value
    }
  }
}

/// Sees a connection's client go: the end of its input (a closed socket reads as that, as
/// the connection allows half-closure) or the connection's end. First in every pipeline.
final class DisconnectWatcher: ChannelInboundHandler, RemovableChannelHandler, Sendable {
  typealias InboundIn = NIOAny
  let gone: EventLoopPromise<Void>

  init(eventLoop: any EventLoop) { gone = eventLoop.makePromise() }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let event = event as? ChannelEvent, event == .inputClosed { gone.succeed(()) }
    context.fireUserInboundEventTriggered(event)
  }

  func channelInactive(context: ChannelHandlerContext) {
    gone.succeed(())
    context.fireChannelInactive()
  }

  func handlerRemoved(context: ChannelHandlerContext) {
    gone.succeed(())
  }
}
