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

/// At most `perSecond` poses a second: no more than that in any window of a second less half
/// a pose's interval, and no two closer than half an interval (so in any whole second at
/// most two more). A pose goes when both allow it.
///
/// Not a token bucket refilled at the same rate: a live view's physics steps at exactly the
/// rate, and once a few late steps had drained such a bucket (the worker catches up after a
/// hiccup), it never filled again, and every later pose waited a few milliseconds for its
/// token for the rest of the episode, each wait a timer and two wake-ups more on the server.
/// A window forgets a late step after a second, and the half interval absorbs the jitter of
/// steps paced by the wall clock.
struct PoseRate {
  let perSecond: Int
  let window: Duration
  let spacing: Duration
  /// When the last `perSecond` poses went, the oldest at `oldest` once full (a ring).
  private var sent: [ContinuousClock.Instant] = []
  private var oldest = 0
  private var last: ContinuousClock.Instant?

  init(perSecond: Int) {
    self.perSecond = max(1, perSecond)
    spacing = .seconds(0.5 / Double(self.perSecond))
    window = .seconds(1) - spacing
  }

  /// Takes a turn; when there is none yet, the instant there will be one.
  mutating func refused(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
    var free = last.map { $0 + spacing } ?? now
    if sent.count == perSecond { free = max(free, sent[oldest] + window) }
    guard now >= free else { return free }
    last = now
    if sent.count < perSecond {
      sent.append(now)
    } else {
      sent[oldest] = now
      oldest = (oldest + 1) % perSecond
    }
    return nil
  }
}
