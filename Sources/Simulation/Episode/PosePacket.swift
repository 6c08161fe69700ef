import Foundation

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

/// The latest pose for one client, latest-wins: a newer pose replaces one not yet sent,
/// and at most one is in flight until the browser acknowledges it (or 2 s pass), so a
/// slow browser never makes the server queue poses.
///
/// `deliver` is its one sender: it sends a pose as soon as one is new, the last one is
/// acknowledged and the rate allows (a sender polling at the rate would miss some of the
/// physics' poses, which come at about the same rate). `close` ends the sending and waits
/// for a write under way, so that the last pose and `done` go out after it.
actor PoseMailbox {
  private var latest: PosePacket?
  private var inFlightSince: ContinuousClock.Instant?
  private var closed = false
  private var sending = false
  private var idle: [CheckedContinuation<Void, Never>] = []
  let ackTimeout: Duration = .seconds(2)
  /// Wakes the sender: a pose came, an ack came, the mailbox closed, or time passed.
  private nonisolated let changes: AsyncStream<Void>
  private nonisolated let signal: AsyncStream<Void>.Continuation

  init() {
    (changes, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  var isClosed: Bool { closed }

  func offer(_ pose: PosePacket) {
    latest = pose
    signal.yield()
  }

  func acknowledge() {
    inFlightSince = nil
    signal.yield()
  }

  /// The pose to send now, if there is a new one and none is waiting for its ack.
  func take(now: ContinuousClock.Instant = .now) -> PosePacket? {
    guard !closed, let pose = latest else { return nil }
    if let since = inFlightSince, since + ackTimeout > now { return nil }
    latest = nil
    inFlightSince = now
    sending = true
    return pose
  }

  /// The pose `take` gave is written (or failed).
  func sent() {
    sending = false
    for waiter in idle { waiter.resume() }
    idle = []
  }

  /// Sends poses with `write`, at most `rate` a second, until the mailbox is closed.
  nonisolated func deliver(rate: Int, write: @Sendable (PosePacket) async -> Void) async {
    let clock = ContinuousClock()
    let interval = Duration.seconds(1) / rate
    var last = clock.now - interval
    // A pose never acknowledged may go again after `ackTimeout`: a tick looks twice a second.
    let ticker = Task { [signal] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(500))
        signal.yield()
      }
    }
    defer { ticker.cancel() }
    var wakeUps = changes.makeAsyncIterator()
    while await !isClosed {
      try? await clock.sleep(until: last + interval)
      if let pose = await take() {
        last = clock.now
        await write(pose)
        await sent()
      } else if await wakeUps.next() == nil {
        return
      }
    }
  }

  /// Stops the sender, once its write under way is done; what is left unsent (the
  /// episode's last state), ignoring the ack.
  func close() async -> PosePacket? {
    closed = true
    signal.finish()
    if sending { await withCheckedContinuation { idle.append($0) } }
    defer { latest = nil }
    return latest
  }
}

/// What the stream learns when the episode starts, for the poses that follow.
actor EpochBox {
  struct Start {
    var bodies: Int
    var lights: Int
  }

  private(set) var value: UInt32 = 0
  private(set) var start: Start?

  func set(_ value: UInt32, bodies: Int, lights: Int) {
    self.value = value
    start = Start(bodies: bodies, lights: lights)
  }
}
