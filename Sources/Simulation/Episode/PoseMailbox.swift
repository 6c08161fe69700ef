import Foundation
import Synchronization
import Workers

/// The latest pose for one client, latest-wins: a newer pose replaces one not yet sent,
/// and at most one is in flight until the browser acknowledges it (or 2 s pass), so a
/// slow browser never makes the server queue poses.
///
/// Most poses go out from the task that offers them: when the last one is acknowledged
/// and the rate allows, `offer` hands the pose back to be written at once. Only a pose
/// that must wait (for its turn in the rate, or for an acknowledgement) is left to
/// `deliver`'s task, which otherwise sleeps. A step of a live 3D view thus wakes no
/// thread of its own: on a small machine each wake-up between tasks costs about 0.1 ms of
/// CPU, more than the pose itself (docs/BENCH.md).
///
/// `close` ends the sending and waits for a write under way, so that the last pose and
/// `done` go out after it. Synchronous apart from that wait, under one lock: an
/// acknowledgement is handled where it is read, without a hop to another task.
final class PoseMailbox: Sendable {
  /// What `deliver` should do now.
  enum Next: Equatable {
    case send(PosePacket)
    /// Nothing may go yet; try again at this instant (the rate), or on the next signal (nil).
    case wait(ContinuousClock.Instant?)
    case closed
  }

  private struct State {
    var latest: PosePacket?
    var inFlightSince: ContinuousClock.Instant?
    var closed = false
    var writing = 0
    var idle: [CheckedContinuation<Void, Never>] = []
    var rate: PoseRate
  }

  static let ackTimeout: Duration = .seconds(2)
  private let state: Mutex<State>
  /// Wakes the sender: a pose is waiting, an ack came for one, the mailbox closed, or time
  /// passed.
  private let changes: AsyncStream<Void>
  private let signal: AsyncStream<Void>.Continuation

  init(rate: Int) {
    state = Mutex(State(rate: PoseRate(perSecond: rate)))
    (changes, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// A new pose. Returns it when the caller is to write it now (and then call `sent`);
  /// otherwise it waits for the sender, replacing any older one waiting.
  func offer(_ pose: PosePacket, now: ContinuousClock.Instant = .now) -> PosePacket? {
    let (taken, waiting) = state.withLock { state -> (PosePacket?, Bool) in
      guard !state.closed else { return (nil, false) }
      state.latest = pose
      if case .send(let pose) = Self.next(&state, now: now) { return (pose, false) }
      return (nil, true)
    }
    if waiting { signal.yield() }
    return taken
  }

  /// The browser drew the pose in flight: the next may go.
  func acknowledge() {
    let waiting = state.withLock { state in
      state.inFlightSince = nil
      return state.latest != nil
    }
    if waiting { signal.yield() }
  }

  /// What may go now; a pose returned is in flight from then on.
  func next(now: ContinuousClock.Instant = .now) -> Next {
    state.withLock { Self.next(&$0, now: now) }
  }

  private static func next(_ state: inout State, now: ContinuousClock.Instant) -> Next {
    if state.closed { return .closed }
    guard let pose = state.latest else { return .wait(nil) }
    if let since = state.inFlightSince, since + ackTimeout > now { return .wait(nil) }
    if let instant = state.rate.refused(now: now) { return .wait(instant) }
    state.latest = nil
    state.inFlightSince = now
    state.writing += 1
    return .send(pose)
  }

  /// Writes a pose `offer` or `next` gave, then marks it sent, whether the write failed or not.
  func write(_ pose: PosePacket, with write: (PosePacket) async throws -> Void) async rethrows {
    defer { sent() }
    try await write(pose)
  }

  /// A pose `offer` or `next` gave is written (or its write failed).
  func sent() {
    let waiters = state.withLock { state in
      state.writing -= 1
      guard state.writing == 0 else { return [CheckedContinuation<Void, Never>]() }
      defer { state.idle = [] }
      return state.idle
    }
    waiters.forEach { $0.resume() }
  }

  /// Sends the poses that had to wait, with `write`, until the mailbox is closed.
  func deliver(write: @Sendable (PosePacket) async -> Void) async {
    let clock = ContinuousClock()
    // A pose never acknowledged may go again after `ackTimeout`: a tick looks twice a second.
    let ticker = Task { [signal] in
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(500))
        signal.yield()
      }
    }
    defer { ticker.cancel() }
    for await _ in changes {
      attempts: while true {
        switch next(now: clock.now) {
        case .closed: return
        case .send(let pose): await self.write(pose, with: write)
        case .wait(let instant?): try? await clock.sleep(until: instant)
        case .wait(nil): break attempts
        }
      }
    }
  }

  /// Stops the sending, once a write under way is done; returns what is left unsent (the
  /// episode's last state), ignoring the ack.
  func close() async -> PosePacket? {
    signal.finish()
    await withCheckedContinuation { continuation in
      let idle = state.withLock { state in
        state.closed = true
        if state.writing > 0 { state.idle.append(continuation) }
        return state.writing == 0
      }
      if idle { continuation.resume() }
    }
    return state.withLock { state in
      defer { state.latest = nil }
      return state.latest
    }
  }
}

/// At most `perSecond` poses a second, as a bucket of two: a pose whose step came a little
/// early (physics paced by the wall clock jitters by a millisecond or two) still goes at
/// once, and over any span no more than the rate allows go, but for one.
struct PoseRate {
  static let burst = 2.0
  let perSecond: Double
  private var tokens = Self.burst
  private var filled: ContinuousClock.Instant?

  init(perSecond: Int) {
    self.perSecond = Double(max(1, perSecond))
  }

  /// Takes a turn; when there is none yet, the instant there will be one.
  mutating func refused(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
    if let filled {
      tokens = min(Self.burst, tokens + (now - filled).seconds * perSecond)
    }
    filled = now
    guard tokens >= 1 else { return now + .seconds((1 - tokens) / perSecond) }
    tokens -= 1
    return nil
  }
}
