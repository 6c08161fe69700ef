import Simulation
import Testing

@Suite("A queue whose reader can stop waiting after a while")
struct TimedQueueTests {
  @Test("Elements come out in the order they were pushed")
  func order() async {
    let queue = TimedQueue<Int>()
    for element in [3, 1, 2] { await queue.push(element) }
    #expect(await queue.next() == 3)
    #expect(await queue.next() == 1)
    #expect(await queue.next(timeout: .seconds(5)) == 2)
  }

  @Test("A reader waiting without a time limit gets the next element when it is pushed")
  func waitingReader() async {
    let queue = TimedQueue<String>()
    let reader = Task { await queue.next() }
    await queue.push("pause")
    #expect(await reader.value == "pause")
  }

  @Test("With nothing pushed, a wait ends with nil once its time is up")
  func timesOut() async {
    let queue = TimedQueue<Int>()
    let clock = ContinuousClock()
    let start = clock.now
    #expect(await queue.next(timeout: .milliseconds(50)) == nil)
    let waited = clock.now - start
    #expect(waited >= .milliseconds(40))
  }

  @Test("A time-out ends only that wait: later elements are still delivered")
  func deliversAfterTimeout() async throws {
    let queue = TimedQueue<Int>()
    #expect(await queue.next(timeout: .milliseconds(20)) == nil)
    await queue.push(1)
    #expect(await queue.next(timeout: .milliseconds(20)) == 1)

    let reader = Task { await queue.next(timeout: .seconds(5)) }
    try await Task.sleep(for: .milliseconds(20))
    await queue.push(2)
    #expect(await reader.value == 2)
  }

  @Test("The timer of an answered wait does not cut a later wait short")
  func staleTimerIsIgnored() async throws {
    let queue = TimedQueue<Int>()
    let first = Task { await queue.next(timeout: .milliseconds(50)) }
    try await Task.sleep(for: .milliseconds(10))
    await queue.push(1)
    #expect(await first.value == 1)

    let second = Task { await queue.next() }
    // Past the first wait's time limit: its timer has fired by now.
    try await Task.sleep(for: .milliseconds(100))
    await queue.push(2)
    #expect(await second.value == 2)
  }

  @Test("A queue draining a stream delivers its elements, then nil when the stream ends")
  func drainsStream() async {
    let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
    let queue = TimedQueue(draining: stream)
    continuation.yield(1)
    continuation.yield(2)
    continuation.finish()
    #expect(await queue.next(timeout: .seconds(5)) == 1)
    #expect(await queue.next(timeout: .seconds(5)) == 2)
    #expect(await queue.next() == nil)
    #expect(await queue.next() == nil)
  }

  @Test("A reader waiting on a stream that ends gets nil")
  func streamEndsWhileWaiting() async throws {
    let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
    let queue = TimedQueue(draining: stream)
    let reader = Task { await queue.next() }
    try await Task.sleep(for: .milliseconds(20))
    continuation.finish()
    #expect(await reader.value == nil)
  }

  @Test("Finishing a queue by hand ends a waiting reader with nil, after what was pushed")
  func finishByHand() async {
    let queue = TimedQueue<Int>()
    await queue.push(5)
    await queue.finish()
    #expect(await queue.next() == 5)
    #expect(await queue.next(timeout: .seconds(5)) == nil)
  }
}

@Suite("A bounded queue that nobody reads")
struct BoundedTimedQueueTests {
  @Test("Beyond its capacity the oldest elements are dropped and counted")
  func dropsOldest() async {
    let queue = TimedQueue<Int>(capacity: 3)
    for element in 1...10 { await queue.push(element) }
    #expect(await queue.dropped == 7)
    #expect(await queue.next() == 8)
    #expect(await queue.next() == 9)
    #expect(await queue.next() == 10)
  }

  @Test("Waiting for the end returns when the source ends, or when the wait is cancelled")
  func untilFinished() async {
    let queue = TimedQueue<Int>()
    let waiting = Task { await queue.untilFinished() }
    await queue.push(1)
    await queue.finish()
    await waiting.value
    #expect(await queue.next() == 1)

    let open = TimedQueue<Int>()
    let cancelled = Task { await open.untilFinished() }
    cancelled.cancel()
    await cancelled.value
  }
}
