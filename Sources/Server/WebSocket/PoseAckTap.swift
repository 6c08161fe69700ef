import NIOCore
import NIOWebSocket
import Simulation

/// Takes a 3D view's `pose_ack` where the socket reads it, on the connection's event loop.
///
/// A browser acknowledges every pose it draws, 60 times a second. Through the WebSocket's
/// async stream each acknowledgement would wake a task on the cooperative pool just to mark
/// the pose drawn; here it costs no thread a wake-up of its own. Only a whole, unextended
/// text frame can be one; every other frame (pings, closes, controls) goes on unchanged.
final class PoseAckTap: ChannelInboundHandler, RemovableChannelHandler {
  typealias InboundIn = WebSocketFrame
  typealias InboundOut = WebSocketFrame

  private let acknowledgements: PoseAcknowledgements

  init(_ acknowledgements: PoseAcknowledgements) {
    self.acknowledgements = acknowledgements
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let frame = unwrapInboundIn(data)
    if frame.fin, frame.opcode == .text, frame.reservedBits.isEmpty,
      acknowledgements.take(frame.unmaskedData.readableBytesView)
    {
      return
    }
    context.fireChannelRead(data)
  }
}
