import NIOCore
import NIOWebSocket
import Synchronization

/// Writes a stream's messages straight to its WebSocket's channel, messages sent together
/// in one go on the event loop.
///
/// A live 3D view gets two messages a step (the step's `frame`, then its pose). Through the
/// socket's async writer each is its own hop to the event loop and its own flush, a TCP
/// segment each; here the messages that wait for the event loop go out in one write and one
/// flush. Frames the channel has not written yet are counted: past `highWater` bytes a
/// sender waits until they drain below `lowWater`, so a slow client holds the stream back
/// (a live view then drops frames, as it should) instead of filling the server's memory.
///
/// Control frames (pings, pongs, the close) still go through WSCore's handler; both writers
/// end in the same channel, in the order they were given (`close` after the last message).
final class WebSocketMessageWriter: Sendable {
  private struct State {
    var queue: [WebSocketFrame] = []
    var scheduled = false
    /// Bytes given to the channel and not yet written to the socket, or still queued here.
    var unwritten = 0
    var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    var nextWaiter = 0
    var failure: (any Error)?
  }

  static let highWater = 64 * 1024
  static let lowWater = 32 * 1024
  private let channel: any Channel
  private let state = Mutex(State())

  init(channel: any Channel) {
    self.channel = channel
  }

  /// Writes a text message.
  func write(text: String) async throws {
    try await write(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text)))
  }

  /// Writes a binary message.
  func write(binary bytes: some Sequence<UInt8>) async throws {
    try await write(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes)))
  }

  /// Queues `frame` for the event loop; throws once the connection can take no more (closed,
  /// or the task cancelled), and waits while too much is still unwritten.
  func write(_ frame: WebSocketFrame) async throws {
    try Task.checkCancellation()
    let (schedule, full) = try state.withLock { state throws -> (Bool, Bool) in
      if let failure = state.failure { throw failure }
      state.queue.append(frame)
      state.unwritten += frame.length
      defer { state.scheduled = true }
      return (!state.scheduled, state.unwritten > Self.highWater)
    }
    if schedule { channel.eventLoop.execute { self.writeQueued() } }
    if full { try await waitForRoom() }
  }

  /// On the event loop: writes every frame queued so far, with one flush.
  private func writeQueued() {
    let frames = state.withLock { state in
      state.scheduled = false
      defer { state.queue = [] }
      return state.queue
    }
    guard let last = frames.last else { return }
    let size = frames.reduce(0) { $0 + $1.length }
    for frame in frames.dropLast() { channel.write(frame, promise: nil) }
    // A channel writes in order: when the last is written (or failed), so are the others.
    let written = channel.eventLoop.makePromise(of: Void.self)
    channel.writeAndFlush(last, promise: written)
    written.futureResult.whenComplete { self.settle(size, $0) }
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
