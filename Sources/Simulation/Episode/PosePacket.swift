import Foundation
import Synchronization

/// A 3D view's pose message: one binary WebSocket message per pose (docs/STREAM.md).
///
/// `TAUP` | u32 epoch | u32 step | u16 bodies | u16 lights | f64 sim time | for each moving
/// body (in the `scene` message's order) float32 x, y, z, qw, qx, qy, qz | for each moving
/// light float32 x, y, z, dx, dy, dz. Little-endian; 24 bytes of header.
public struct PosePacket: Sendable, Equatable {
  public static let magic = Data("TAUP".utf8)
  public static let headerSize = 24

  /// The first 8 hex digits of the scene's epoch: a pose of another model is ignored.
  public var epoch: UInt32
  /// Control steps done (0: the state after reset).
  public var step: Int
  public var time: Double
  public var bodies: Int
  public var lights: Int
  /// The float32 poses as the physics side packed them.
  public var poses: Data

  public init(epoch: UInt32, step: Int, time: Double, bodies: Int, lights: Int, poses: Data) {
    self.epoch = epoch
    self.step = step
    self.time = time
    self.bodies = bodies
    self.lights = lights
    self.poses = poses
  }

  public var encoded: Data {
    var data = Data(capacity: Self.headerSize + poses.count)
    data.append(Self.magic)
    func append<T: FixedWidthInteger>(_ value: T) {
      withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
    append(epoch)
    append(UInt32(clamping: step))
    append(UInt16(clamping: bodies))
    append(UInt16(clamping: lights))
    withUnsafeBytes(of: time.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    data.append(poses)
    return data
  }

  /// The epoch's number from its hex text (0 when it has none).
  public static func epochNumber(_ epoch: String?) -> UInt32 {
    epoch.flatMap { UInt32($0.prefix(8), radix: 16) } ?? 0
  }
}

/// What a 3D view's poses hold, learnt when its episode starts: the scene's epoch and how
/// many moving bodies and lights; nothing before (no pose goes then).
final class PoseLayout: Sendable {
  private struct Layout {
    var epoch: UInt32
    var bodies: Int
    var lights: Int
  }

  private let layout = Mutex<Layout?>(nil)

  func set(epoch: UInt32, bodies: Int, lights: Int) {
    layout.withLock { $0 = Layout(epoch: epoch, bodies: bodies, lights: lights) }
  }

  /// The pose of a step, once the layout is known.
  func packet(step: Int, time: Double, poses: Data) -> PosePacket? {
    guard let layout = layout.withLock({ $0 }) else { return nil }
    return PosePacket(
      epoch: layout.epoch, step: step, time: time, bodies: layout.bodies, lights: layout.lights,
      poses: poses)
  }
}
