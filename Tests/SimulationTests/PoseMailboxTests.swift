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

  @Test("Poses offered faster than the rate go at the rate")
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

  @Test("Steps at the rate itself go at once, and late ones hold none back for long")
  func stepsAtTheRate() {
    let mailbox = PoseMailbox(rate: 60)
    let start = ContinuousClock.now
    // 20 s of steps at 60 a second as a live view's worker paces them: on a fixed schedule,
    // each up to 3 ms late; in the first 10 s some are 20 ms late (the next then comes right
    // after it, the worker catching up).
    var refused: [Int] = []
    for step in 0..<1200 {
      let late = step < 600 && step % 97 == 0 ? 20 : (step * 7) % 4
      let now = start + .microseconds(step * 1_000_000 / 60) + .milliseconds(late)
      if mailbox.offer(Self.pose(step), now: now) == nil {
        refused.append(step)
        // Sent when its turn comes, as the sender does.
        guard case .wait(let instant?) = mailbox.next(now: now),
          case .send = mailbox.next(now: instant)
        else {
          Issue.record("step \(step) neither sent nor given a time to go")
          continue
        }
      }
      mailbox.sent()
      mailbox.acknowledge()
    }
    #expect(refused.count <= 7 * 6, "\(refused.count) of 1200 steps held back")
    // Three seconds after the last late step, every step goes at once again.
    #expect(refused.allSatisfy { $0 < 582 + 180 }, "held back: \(refused.prefix(20))...")
  }

  @Test("No more than the rate and two go in any second")
  func window() {
    var rate = PoseRate(perSecond: 60)
    let start = ContinuousClock.now
    var sent: [ContinuousClock.Instant] = []
    for tick in 0..<3000 {
      let now = start + .milliseconds(tick)
      if rate.refused(now: now) == nil { sent.append(now) }
    }
    for (index, instant) in sent.enumerated() {
      let inSecond = sent[index...].prefix { $0 < instant + .seconds(1) }.count
      #expect(inSecond <= 62)
    }
    #expect(sent.count >= 180)
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

@Suite("A 3D view's acknowledgements")
struct PoseAcknowledgementsTests {
  @Test("A pose_ack is taken however it is spelled; anything else, or one before poses, is not")
  func take() {
    let acknowledgements = PoseAcknowledgements()
    let ack = Array(#"{"type":"pose_ack"}"#.utf8)
    #expect(!acknowledgements.take(ack), "no episode asked for poses yet")
    acknowledgements.attach(PoseMailbox(rate: 60))
    for text in [#"{"type":"pose_ack"}"#, #"{ "type" : "pose_ack", "step": 3 }"#] {
      #expect(acknowledgements.take(Array(text.utf8)), "\(text)")
    }
    for text in [
      #"{"type":"pause"}"#, #"{"type":"pose_ack""#, #"["pose_ack"]"#, "",
      #"{"type":"pose_ack","pad":""# + String(repeating: "x", count: 300) + #""}"#,
    ] {
      #expect(!acknowledgements.take(Array(text.utf8)), "\(text)")
    }
  }
}
