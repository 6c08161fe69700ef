import Simulation
import Testing

@Suite("Episode admission")
struct EpisodeSchedulerTests {
  @Test("A session runs two episodes at once; the third waits and is told its place")
  func thirdWaits() async throws {
    let scheduler = EpisodeScheduler(perSession: 2, total: 4)
    try await scheduler.acquire(session: "a") { _ in Issue.record("first should not queue") }
    try await scheduler.acquire(session: "a") { _ in Issue.record("second should not queue") }
    let place = PlaceBox()
    let third = Task { try await scheduler.acquire(session: "a") { await place.set($0) } }
    // Another session is not held up by the first's queue.
    try await scheduler.acquire(session: "b") { _ in Issue.record("other session should not queue")
    }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await place.value == 1)
    #expect(await scheduler.counts == (3, 1))
    await scheduler.release(session: "a")
    try await third.value
    #expect(await scheduler.counts == (3, 0))
  }

  @Test("The server-wide total holds across sessions; a cancelled waiter leaves the queue")
  func totalAndCancel() async throws {
    let scheduler = EpisodeScheduler(perSession: 2, total: 2)
    try await scheduler.acquire(session: "a") { _ in }
    try await scheduler.acquire(session: "b") { _ in }
    let waiting = Task { try await scheduler.acquire(session: "c") { _ in } }
    try await Task.sleep(for: .milliseconds(50))
    #expect(await scheduler.counts.waiting == 1)
    waiting.cancel()
    await #expect(throws: CancellationError.self) { try await waiting.value }
    try await Task.sleep(for: .milliseconds(20))
    #expect(await scheduler.counts.waiting == 0)
  }
}

actor PlaceBox {
  var value: Int?
  func set(_ place: Int) { value = place }
}
