import NIOCore
import Synchronization

/// Writes a stream's messages straight to its WebSocket's socket, messages sent together in
/// one go on the event loop.
///
/// A live 3D view gets two messages a step (the step's `frame`, then its pose), 60 times a
/// second. Through the socket's async writer each was its own hop to the event loop, its own
/// pass through the pipeline and its own flush, a TCP segment each. Here a message is framed
/// as it is queued (RFC 6455, a server's frames are unmasked), the messages that wait for the
/// event loop go out as one buffer, with one flush, and they enter the pipeline below NIO's
/// frame encoder (`WebSocketMessageOutlet`), so only the handlers between it and the socket
/// see them. Bytes the socket has not taken yet are counted: past `highWater` a sender waits
/// until they drain below `lowWater`, so a slow client holds the stream back (a live view
/// then drops frames, as it should) instead of filling the server's memory.
///
/// Control frames (pings, pongs, the close) still go through WSCore's handler and NIO's
/// encoder; both end in the same channel, on its event loop, in the order they were given
/// (`close` after the last message).
final class WebSocketMessageWriter: Sendable {
  private struct State {
    var queued = ByteBuffer()
    var scheduled = false
    /// Bytes given to the channel and not yet written to the socket, or still queued here.
    var unwritten = 0
    var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    var nextWaiter = 0
    var failure: (any Error)?
  }

  enum Opcode: UInt8 {
    case text = 0x1
    case binary = 0x2
  }

  static let highWater = 64 * 1024
  static let lowWater = 32 * 1024
  private let eventLoop: any EventLoop
  private let state = Mutex(State())
  /// Where the messages enter the pipeline; set on the event loop when the upgrade adds it.
  private let outlet: NIOLoopBoundBox<WebSocketMessageOutlet?>

  init(eventLoop: any EventLoop) {
    self.eventLoop = eventLoop
    outlet = NIOLoopBoundBox.makeEmptyBox(
      valueType: WebSocketMessageOutlet.self, eventLoop: eventLoop)
  }

  /// The handler to add to the upgraded channel's pipeline before NIO's frame encoder (nearer
  /// the socket): this writer's messages enter the pipeline there. On the event loop.
  func makeOutlet() -> WebSocketMessageOutlet {
    let handler = WebSocketMessageOutlet()
    outlet.value = handler
    return handler
  }

  /// Writes a text message.
  func write(text: String) async throws {
    var text = text
    try await write(.text, count: text.utf8.count) { buffer in
      text.withUTF8 { _ = buffer.writeBytes($0) }
    }
  }

  /// Writes a binary message.
  func write<Bytes: Collection<UInt8>>(binary bytes: Bytes) async throws {
    try await write(.binary, count: bytes.count) { buffer in buffer.writeBytes(bytes) }
  }

  /// Frames a message into the queue for the event loop; throws once the connection can take
  /// no more (closed, or the task cancelled), and waits while too much is still unwritten.
  private func write(
    _ opcode: Opcode, count: Int, payload: (inout ByteBuffer) -> Void
  ) async throws {
    try Task.checkCancellation()
    let (schedule, full) = try state.withLock { state throws -> (Bool, Bool) in
      if let failure = state.failure { throw failure }
      let before = state.queued.readableBytes
      Self.writeHeader(opcode, count: count, to: &state.queued)
      payload(&state.queued)
      state.unwritten += state.queued.readableBytes - before
      defer { state.scheduled = true }
      return (!state.scheduled, state.unwritten > Self.highWater)
    }
    if schedule { eventLoop.execute { self.writeQueued() } }
    if full { try await waitForRoom() }
  }

  /// A final, unmasked frame's header (RFC 6455 section 5.2).
  static func writeHeader(_ opcode: Opcode, count: Int, to buffer: inout ByteBuffer) {
    buffer.writeInteger(0x80 | opcode.rawValue)
    switch count {
    case ..<126: buffer.writeInteger(UInt8(count))
    case ...Int(UInt16.max):
      buffer.writeInteger(UInt8(126))
      buffer.writeInteger(UInt16(count))
    default:
      buffer.writeInteger(UInt8(127))
      buffer.writeInteger(UInt64(count))
    }
  }

  /// On the event loop: writes every message queued so far, with one flush.
  private func writeQueued() {
    let bytes = state.withLock { state in
      state.scheduled = false
      defer { state.queued = ByteBuffer() }
      return state.queued
    }
    guard bytes.readableBytes > 0 else { return }
    guard let outlet = outlet.value else {
      settle(bytes.readableBytes, .failure(ChannelError.ioOnClosedChannel))
      return
    }
    let written = eventLoop.makePromise(of: Void.self)
    outlet.write(bytes, promise: written)
    written.futureResult.whenComplete { self.settle(bytes.readableBytes, $0) }
  }

  /// `size` bytes left the channel (or never will): wakes the senders there is room for.
  private func settle(_ size: Int, _ result: Result<Void, any Error>) {
    let (waiters, failure) = state.withLock { state in
      state.unwritten -= size
      if case .failure(let error) = result, state.failure == nil { state.failure = error }
      guard state.failure != nil || state.unwritten <= Self.lowWater else {
        return ([CheckedContinuation<Void, any Error>](), state.failure)
      }
      defer { state.waiters = [:] }
      return (Array(state.waiters.values), state.failure)
    }
    for waiter in waiters {
      if let failure { waiter.resume(throwing: failure) } else { waiter.resume() }
    }
  }

  private func waitForRoom() async throws {
    let id = state.withLock { state in
      defer { state.nextWaiter += 1 }
      return state.nextWaiter
    }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let ready = state.withLock { state -> Result<Void, any Error>? in
          if let failure = state.failure { return .failure(failure) }
          if Task.isCancelled { return .failure(CancellationError()) }
          if state.unwritten <= Self.lowWater { return .success(()) }
          state.waiters[id] = continuation
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
    }
  }
}

/// Where `WebSocketMessageWriter`'s framed messages enter an upgraded channel's pipeline:
/// before NIO's frame encoder, nearer the socket. It passes everything else on untouched.
final class WebSocketMessageOutlet: ChannelOutboundHandler, RemovableChannelHandler {
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private var context: ChannelHandlerContext?

  func handlerAdded(context: ChannelHandlerContext) { self.context = context }
  func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

  /// Writes and flushes framed messages toward the socket; on the event loop.
  func write(_ bytes: ByteBuffer, promise: EventLoopPromise<Void>) {
    guard let context else {
      promise.fail(ChannelError.ioOnClosedChannel)
      return
    }
    context.writeAndFlush(wrapOutboundOut(bytes), promise: promise)
  }
}
