import Foundation
import Synchronization
import Workers

/// Where a 3D view's `{"type": "pose_ack"}` messages go: the pose mailbox of the
/// connection's episode, once its settings asked for poses.
///
/// The server hands each text message here first, on the thread that read it from the socket
/// (`take`). An acknowledgement comes with every pose a browser draws; passed on to a task
/// instead, each would wake a thread of the cooperative pool, which costs the server more
/// than the pose itself (docs/BENCH.md). Every other message goes on to the stream.
public final class PoseAcknowledgements: Sendable {
  private let mailbox = Mutex<PoseMailbox?>(nil)
  /// An acknowledgement is far shorter; a longer message is never one.
  static let longest = 256

  public init() {}

  /// The episode's poses: acknowledgements go to them from now on.
  func attach(_ poses: PoseMailbox?) {
    mailbox.withLock { $0 = poses }
  }

  /// Whether the bytes of a text message are a pose's acknowledgement, taken here. One
  /// that comes before the view's settings were read is left to the stream, which ignores it.
  public func take(_ text: some Collection<UInt8>) -> Bool {
    guard text.count < Self.longest, let poses = mailbox.withLock({ $0 }), Self.isAck(text)
    else { return false }
    poses.acknowledge()
    return true
  }

  /// The text a browser sends (`JSON.stringify({type: "pose_ack"})`), known without parsing.
  private static let usual = Array(#"{"type":"pose_ack"}"#.utf8)

  /// `{"type": "pose_ack"}`, other members allowed, as in any message.
  private static func isAck(_ text: some Collection<UInt8>) -> Bool {
    if text.elementsEqual(usual) { return true }
    guard case .object(let message)? = try? JSONValue(parsing: Array(text)) else { return false }
    return message["type"]?.stringValue == "pose_ack"
  }
}
