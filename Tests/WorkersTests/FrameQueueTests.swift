import Synchronization
import Testing

@testable import Workers

/// A worker's frames between whoever reads its pipe and the one task that consumes them.
@Suite("A worker's frame queue")
struct FrameQueueTests {
  static func frame(_ n: Int) -> FrameQueue.Item { (Frame("log", ["n": .number(Double(n))]), n) }

  @Test("Frames come out in order, to one consumer after another; after finish, the rest then nil")
  func order() async {
    let ends = Mutex(0)
    let queue = FrameQueue(onEnd: { ends.withLock { $0 += 1 } })
    let consumer = Task { await queue.next()?.size }
    try? await Task.sleep(for: .milliseconds(50))
    queue.push(Self.frame(0))
    #expect(await consumer.value == 0)
    for n in 1...3 { queue.push(Self.frame(n)) }
    queue.finish()
    queue.push(Self.frame(4))
    var sizes: [Int] = []
    while let item = await queue.next() { sizes.append(item.size) }
    #expect(sizes == [1, 2, 3])
    #expect(await queue.next() == nil)
    #expect(ends.withLock { $0 } == 1)
  }

  @Test("A consumer cancelled while waiting gets nil; the queue ends, its frames dropped, once")
  func cancellation() async {
    let ends = Mutex(0)
    let queue = FrameQueue(onEnd: { ends.withLock { $0 += 1 } })
    let consumer = Task { await queue.next() == nil }
    try? await Task.sleep(for: .milliseconds(50))
    consumer.cancel()
    #expect(await consumer.value)
    queue.push(Self.frame(1))
    queue.finish()
    #expect(await queue.next() == nil)
    #expect(ends.withLock { $0 } == 1)
  }
}
