import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing
import Workers

/// A client waiting for its episode's turn holds nothing it should not: a bounded number
/// of its messages, and its place in the queue only while it is connected.
@Suite("Clients waiting in the queue")
struct QueuedClientTests {
  /// Set once the waiting client has left.
  actor Flag {
    private(set) var isSet = false
    func set() { isSet = true }
  }

  @Test("A queued client that sends many messages and leaves gives its place back at once")
  func floodThenLeave() async throws {
    try await TestServer().testWithSimulation(perSession: 1) { client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let left = Flag()
      // The session's one slot: a long episode that runs until the waiter has come and gone.
      async let running = withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 100_000, "width": 64, "height": 48])
        _ = await stream.nextFrame()
        while await !left.isSet { try await Task.sleep(for: .milliseconds(50)) }
        try await stream.send(["type": "stop"])
        return await stream.untilDone()
      }
      // The first episode holds the slot before the second client comes (under a full
      // parallel test run its start can take longer than any fixed pause).
      for _ in 0..<600 where await services.stream.scheduler.counts.running == 0 {
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(await services.stream.scheduler.counts.running == 1)
      let queued = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 10])
        let place = await stream.next(of: "log", timeout: .seconds(20))
        // More than may wait (64); the bound itself is TimedQueue's (BoundedTimedQueueTests).
        let filler = String(repeating: "x", count: 1024)
        for _ in 0..<300 { try await stream.send(["type": "pause", "pad": filler]) }
        return place?.message ?? ""
      }
      #expect(queued.hasPrefix("queued: 1 episode ahead"), "\(queued)")
      var waiting = -1
      for _ in 0..<60 {
        waiting = await services.stream.scheduler.counts.waiting
        if waiting == 0 { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(waiting == 0, "the client that left still holds a place in the queue")
      await left.set()
      let messages = try await running
      #expect(messages.last?.json["reason"] as? String == "stopped")
      // Nothing ran for the client that left: the slot is free once the first episode ends.
      var free = false
      for _ in 0..<40 {
        if await services.stream.scheduler.counts == (running: 0, waiting: 0) {
          free = true
          break
        }
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(free)
    }
  }
}
