import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Workers

/// A connection's event loop reads a worker's output itself, once the worker's reader thread
/// hands it over (`WorkerProcess.handOverOutput`): a live 3D view's step then wakes the one
/// thread that writes it to the socket, not a reader thread first.
extension EventLoopTaskExecutor: WorkerOutputReader {
  func read(descriptor: Int32, into sink: WorkerOutputSink) {
    // Once a channel was made, NIO owns the descriptor, and closes it even when the channel
    // then fails to start.
    let owned = OwnedFlag()
    NIOPipeBootstrap(group: eventLoop)
      .channelInitializer { channel in
        owned.set()
        return channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandlers(
            ByteToMessageHandler(WorkerFrameDecoder(sink: sink)), WorkerOutputEnd(sink))
        }
      }
      .takingOwnershipOfDescriptor(input: descriptor)
      .whenFailure { _ in
        // The worker cannot be heard: it is stopped, and reaped once its pipe is closed.
        sink.broken()
        if !owned.isSet { close(descriptor) }
        sink.finished()
      }
  }
}

/// Whether NIO took a descriptor: set from the channel's initialiser, read where it failed.
private final class OwnedFlag: Sendable {
  private let value = Mutex(false)
  func set() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}

/// Cuts a worker's output into frames (`u32 length | body`, `Frame`) for its sink; past the
/// sink's budget it stops reading the pipe until the frames waiting are taken.
struct WorkerFrameDecoder: ByteToMessageDecoder {
  typealias InboundOut = Never
  let sink: WorkerOutputSink

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
    -> DecodingState
  {
    guard
      let length = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt32.self)
    else { return .needMoreData }
    guard length <= FrameCodec.maximumFrameSize else { throw FrameError.tooLarge(Int(length)) }
    guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
    buffer.moveReaderIndex(forwardBy: 4)
    let body = buffer.readBytes(length: Int(length)) ?? []
    let frame = try FrameCodec.decode(body: Data(body))
    let channel = context.channel
    let room = sink.deliver(frame, size: Int(length)) {
      channel.eventLoop.execute { try? channel.syncOptions?.setOption(.autoRead, value: true) }
    }
    if !room { try? channel.syncOptions?.setOption(.autoRead, value: false) }
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
    throws -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue {}
    if buffer.readableBytes > 0 { throw FrameError.truncated }
    return .needMoreData
  }
}

/// The end of a worker's output on the event loop: a broken stream stops the worker; the
/// channel's end (the pipe's, as NIO closes a pipe at its end of file) reaps it and ends its
/// frames.
final class WorkerOutputEnd: ChannelInboundHandler {
  typealias InboundIn = Never
  private let sink: WorkerOutputSink

  init(_ sink: WorkerOutputSink) { self.sink = sink }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    sink.broken()
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    sink.finished()
  }
}
