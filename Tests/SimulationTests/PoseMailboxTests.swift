import Foundation
import Testing

@testable import Simulation

@Suite("A 3D view's latest pose")
struct PoseMailboxTests {
  static func pose(_ step: Int) -> PosePacket {
    PosePacket(epoch: 1, step: step, time: Double(step) / 60, bodies: 1, lights: 0, poses: Data())
  }

  @Test("A pose goes at once when the last was acknowledged; else the newest waits alone")
  func latestWins() async {
    let mailbox = PoseMailbox(rate: 60)
    let start = ContinuousClock.now
    #expect(mailbox.offer(Self.pose(1), now: start)?.step == 1)
    mailbox.sent()
    // Not acknowledged: the next two wait, the newer replacing the older.
    #expect(mailbox.offer(Self.pose(2), now: start + .milliseconds(17)) == nil)
    #expect(mailbox.offer(Self.pose(3), now: start + .milliseconds(34)) == nil)
    #expect(mailbox.next(now: start + .milliseconds(40)) == .wait(nil))
    mailbox.acknowledge()
    #expect(mailbox.next(now: start + .milliseconds(41)) == .send(Self.pose(3)))
    mailbox.sent()
    #expect(mailbox.next(now: start + .milliseconds(42)) == .wait(nil))
    // A browser that never acknowledges gets the newest again after the ack's time-out.
    #expect(mailbox.offer(Self.pose(4), now: start + .milliseconds(50)) == nil)
    #expect(
      mailbox.next(now: start + .milliseconds(41) + PoseMailbox.ackTimeout) == .send(Self.pose(4)))
    mailbox.sent()
    #expect(await mailbox.close() == nil)
    #expect(mailbox.offer(Self.pose(5)) == nil)
    #expect(mailbox.next() == .closed)
  }

  @Test("Poses offered faster than the rate go at the rate, with a burst of two")
  func rate() {
    let mailbox = PoseMailbox(rate: 60)
    let start = ContinuousClock.now
    var sent: [Int] = []
    // 240 poses a second for one second, each acknowledged at once.
    for step in 0..<240 {
      let now = start + .milliseconds(step * 1000 / 240)
      if let pose = mailbox.offer(Self.pose(step), now: now) {
        sent.append(pose.step)
        mailbox.sent()
        mailbox.acknowledge()
      }
    }
    #expect(sent.count >= 59 && sent.count <= 62, "\(sent.count) poses in a second")
    // A pose held back by the rate says when it may go.
    let later = start + .milliseconds(1000)
    if mailbox.offer(Self.pose(240), now: later) != nil {
      mailbox.sent()
      mailbox.acknowledge()
    }
    #expect(mailbox.offer(Self.pose(241), now: later + .milliseconds(1)) == nil)
    guard case .wait(let instant?) = mailbox.next(now: later + .milliseconds(1)) else {
      Issue.record("a pose held back by the rate with no instant to go")
      return
    }
    #expect(instant > later + .milliseconds(1) && instant <= later + .milliseconds(18))
  }

  @Test("Close waits for the write under way and returns the last pose unsent")
  func close() async {
    let mailbox = PoseMailbox(rate: 60)
    let start = ContinuousClock.now
    #expect(mailbox.offer(Self.pose(1), now: start) != nil)
    #expect(mailbox.offer(Self.pose(2), now: start + .milliseconds(17)) == nil)
    let closing = Task { await mailbox.close() }
    try? await Task.sleep(for: .milliseconds(50))
    mailbox.sent()
    #expect(await closing.value?.step == 2)
  }
}
