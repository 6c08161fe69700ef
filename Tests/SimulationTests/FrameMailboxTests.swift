import Testing
import Workers

@testable import Simulation

/// Between the worker reader and the renderer: what the client ends up seeing, and when the
/// reader (and so the worker) has to wait.
@Suite("The mailbox between the worker reader and the renderer")
struct FrameMailboxTests {
  /// The state after `step` control steps; its pose is `[step]`, so a test can tell them apart.
  static func state(_ step: Int) -> FrameMailbox.Item {
    .state(
      [Double(step)],
      StepTelemetry(
        step: step, reward: 1, totalReward: Double(step), simTime: Double(step) / 100,
        realTimeFactor: 1, obs: nil, action: nil), poses: nil)
  }

  /// An item as a test compares it: `state 3`, `warning: slow`.
  static func describe(_ item: FrameMailbox.Item) -> String {
    switch item {
    case .log(let level, let message): return "\(level): \(message)"
    case .started(let start): return "started \(start.xmlPath)"
    case .state(let pose, let telemetry, _):
      return pose == [Double(telemetry.step)] ? "state \(telemetry.step)" : "a mixed-up state"
    }
  }

  /// Everything left in a finished mailbox, in the order it comes out.
  static func drain(_ mailbox: FrameMailbox) async -> [String] {
    var taken: [String] = []
    while let item = await mailbox.take() { taken.append(describe(item)) }
    return taken
  }

  @Test("By default every state comes out, in order, and a full mailbox makes the reader wait")
  func losslessWaitsWhenFull() async throws {
    let mailbox = FrameMailbox(capacity: 2)
    await mailbox.put(Self.state(1))
    await mailbox.put(Self.state(2))
    let third = Milestone()
    let reader = Task {
      await mailbox.put(Self.state(3))
      await third.reach()
    }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await !third.reached, "a put into a full mailbox returned without waiting")

    #expect(await mailbox.take().map(Self.describe) == "state 1")
    await reader.value
    #expect(await third.reached)
    await mailbox.finish()
    #expect(await Self.drain(mailbox) == ["state 2", "state 3"])
  }

  @Test("By default logs count towards the bound too, so a log flood makes the reader wait")
  func losslessLogsWait() async throws {
    let mailbox = FrameMailbox(capacity: 1)
    await mailbox.put(.log(level: .info, message: "first"))
    let second = Milestone()
    let reader = Task {
      await mailbox.put(.log(level: .info, message: "second"))
      await second.reach()
    }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await !second.reached)
    #expect(await mailbox.take().map(Self.describe) == "info: first")
    await reader.value
    await mailbox.finish()
    #expect(await Self.drain(mailbox) == ["info: second"])
  }

  @Test("Logs and states come out in the order they were put")
  func order() async {
    let mailbox = FrameMailbox(capacity: 8)
    await mailbox.put(.log(level: .info, message: "making the env"))
    await mailbox.put(Self.state(0))
    await mailbox.put(.log(level: .warning, message: "physics warning at step 1"))
    await mailbox.put(Self.state(1))
    await mailbox.put(Self.state(2))
    await mailbox.put(.log(level: .error, message: "step failed"))
    await mailbox.finish()
    #expect(
      await Self.drain(mailbox) == [
        "info: making the env", "state 0", "warning: physics warning at step 1", "state 1",
        "state 2", "error: step failed",
      ])
  }

  @Test("A renderer waiting for the next item gets it as soon as it is put")
  func waitingTake() async {
    let mailbox = FrameMailbox()
    let renderer = Task { await mailbox.take().map(Self.describe) }
    await mailbox.put(Self.state(7))
    #expect(await renderer.value == "state 7")
  }

  @Test("Latest-frame mode drops the oldest waiting state, keeps the newest and every log")
  func latestDropsOldestStates() async {
    let mailbox = FrameMailbox(capacity: 2, lossless: false)
    await mailbox.put(.log(level: .info, message: "before"))
    for step in 1...5 { await mailbox.put(Self.state(step)) }
    await mailbox.put(.log(level: .warning, message: "after"))
    await mailbox.finish()
    #expect(await Self.drain(mailbox) == ["info: before", "state 4", "state 5", "warning: after"])
  }

  @Test("Latest-frame mode never drops a log, even far beyond the state capacity")
  func latestKeepsLogs() async {
    let mailbox = FrameMailbox(capacity: 1, lossless: false)
    for index in 0..<20 {
      await mailbox.put(.log(level: .info, message: "line \(index)"))
      await mailbox.put(Self.state(index))
    }
    await mailbox.finish()
    let taken = await Self.drain(mailbox)
    #expect(taken.filter { $0.hasPrefix("info") } == (0..<20).map { "info: line \($0)" })
    #expect(taken.filter { $0.hasPrefix("state") } == ["state 19"])
    #expect(taken.last == "state 19")
  }

  @Test("Latest-frame mode makes the reader wait only when logs pile up past their own bound")
  func latestLogFloodWaits() async throws {
    let mailbox = FrameMailbox(capacity: 1, lossless: false)
    for index in 0..<FrameMailbox.logCapacity {
      await mailbox.put(.log(level: .info, message: "line \(index)"))
    }
    // States still go in: they replace each other instead of waiting.
    await mailbox.put(Self.state(1))
    await mailbox.put(Self.state(2))
    let oneMore = Milestone()
    let reader = Task {
      await mailbox.put(.log(level: .info, message: "one more"))
      await oneMore.reach()
    }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await !oneMore.reached, "a log beyond the log bound was taken without waiting")
    #expect(await mailbox.take().map(Self.describe) == "info: line 0")
    await reader.value
    await mailbox.finish()
    let taken = await Self.drain(mailbox)
    #expect(taken.count == FrameMailbox.logCapacity + 1)
    #expect(taken.last == "info: one more")
    #expect(taken.contains("state 2") && !taken.contains("state 1"))
  }

  @Test("After finish the items already waiting are taken, then take returns nil")
  func finishDrainsThenEnds() async {
    let mailbox = FrameMailbox(capacity: 4)
    await mailbox.put(Self.state(1))
    await mailbox.put(.log(level: .error, message: "the env failed"))
    await mailbox.finish()
    // Nothing put after the end gets through.
    await mailbox.put(Self.state(2))
    #expect(await mailbox.take().map(Self.describe) == "state 1")
    #expect(await mailbox.take().map(Self.describe) == "error: the env failed")
    #expect(await mailbox.take().map(Self.describe) == nil)
    #expect(await mailbox.take().map(Self.describe) == nil)
  }

  @Test("Finish ends a renderer's wait with nil")
  func finishWakesRenderer() async {
    let mailbox = FrameMailbox()
    let renderer = Task { await mailbox.take().map(Self.describe) }
    await mailbox.finish()
    #expect(await renderer.value == nil)
  }

  @Test("Finish lets a reader waiting on a full mailbox return")
  func finishWakesReader() async throws {
    let mailbox = FrameMailbox(capacity: 1)
    await mailbox.put(Self.state(1))
    let reader = Task { await mailbox.put(Self.state(2)) }
    try await Task.sleep(for: .milliseconds(20))
    await mailbox.finish()
    await reader.value
    #expect(await Self.drain(mailbox) == ["state 1"])
  }

  @Test("Clear drops the waiting states, keeps the logs and makes room for the reader")
  func clearDropsStates() async throws {
    let mailbox = FrameMailbox(capacity: 3)
    await mailbox.put(.log(level: .info, message: "kept"))
    await mailbox.put(Self.state(1))
    await mailbox.put(Self.state(2))
    let reader = Task { await mailbox.put(Self.state(3)) }
    try await Task.sleep(for: .milliseconds(20))
    await mailbox.clear()
    await reader.value
    await mailbox.put(Self.state(0))
    await mailbox.finish()
    let taken = await Self.drain(mailbox)
    #expect(taken.first == "info: kept")
    #expect(!taken.contains("state 1") && !taken.contains("state 2"))
    #expect(taken.last == "state 0")
  }
}

/// Whether a task got past the call it was waiting in.
private actor Milestone {
  private(set) var reached = false

  func reach() { reached = true }
}

@Suite("Frame mailbox order under contention")
struct FrameMailboxOrderTests {
  @Test("A producer that waited for room never lets a later item overtake the one it put")
  func orderAfterWaiting() async {
    // Capacity 1: every second put waits; the consumer takes slowly, and sometimes begins
    // waiting while a producer is still waiting for room.
    let mailbox = FrameMailbox(capacity: 1, lossless: true)
    let producer = Task {
      for step in 1...400 {
        await mailbox.put(FrameMailboxTests.state(step))
        await mailbox.put(.log(level: .info, message: "after \(step)"))
      }
      await mailbox.finish()
    }
    var seen: [String] = []
    while let item = await mailbox.take() {
      seen.append(FrameMailboxTests.describe(item))
      if seen.count % 7 == 0 { await Task.yield() }
    }
    await producer.value
    let expected = (1...400).flatMap { ["state \($0)", "info: after \($0)"] }
    #expect(seen == expected)
  }
}
