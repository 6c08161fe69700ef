import Foundation
import NIOCore
import NIOPosix
import TestSupport
import Testing
import Workers

@testable import Server

/// How the server reads a worker's frames: by the worker's reader thread, or by a live 3D
/// view's event loop once the thread handed the pipe over. Nothing the worker said may be
/// lost or reordered in the hand-over, its frames stay bounded in memory, and the worker is
/// reaped as before, whether it exits, breaks or is killed.
@Suite("A worker's output, read by its thread or an event loop")
struct WorkerOutputChannelTests {
  static let loop = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next())

  /// A worker writing `count` numbered frames (`{"type": "log", "n": i}`), `pause` s apart,
  /// then `tail` bytes that are not a frame, if any.
  static func counter(_ count: Int, pause: Double = 0, tail: String = "") throws -> WorkerProcess {
    let script = """
      import json, struct, sys, time
      out = sys.stdout.buffer
      for n in range(\(count)):
          header = json.dumps({"type": "log", "n": n}).encode()
          out.write(struct.pack("<II", 4 + len(header), len(header)) + header)
          out.flush()
          time.sleep(\(pause))
      out.write(b"\(tail)")
      out.flush()
      """
    return try WorkerProcess(
      executable: TestPaths.python, arguments: ["-c", script], environment: [:])
  }

  /// A worker writing 10,000 `log` frames of 64 KiB each (625 MiB) as fast as it can.
  static func flood() throws -> WorkerProcess {
    let script = """
      import json, struct, sys
      header = json.dumps({"type": "log"}).encode()
      payload = b"x" * 65536
      frame = struct.pack("<II", 4 + len(header) + len(payload), len(header)) + header + payload
      out = sys.stdout.buffer
      for _ in range(10000):
          out.write(frame)
      out.flush()
      """
    return try WorkerProcess(
      executable: TestPaths.python, arguments: ["-c", script], environment: [:])
  }

  @Test(
    "Frames before, during and after the hand-over arrive once each, in order; then it is reaped")
  func handOverKeepsOrder() async throws {
    let worker = try Self.counter(200, pause: 0.002)
    var frames = worker.frames.makeAsyncIterator()
    var seen: [Int] = []
    while seen.count < 20, let frame = await frames.next() {
      seen.append(try #require(frame["n"]?.intValue))
    }
    #expect(worker.handOverOutput(to: Self.loop))
    while let frame = await frames.next() { seen.append(try #require(frame["n"]?.intValue)) }
    #expect(seen == Array(0..<200))
    #expect(await worker.waitForExit() == .exited(0))
  }

  @Test("A hand-over asked while the frames waiting fill their budget waits for no consumer")
  func handOverWhenFull() async throws {
    // 300 frames at once: the reader thread blocks on the 65th until the consumer takes one.
    let worker = try Self.counter(300)
    try await Task.sleep(for: .milliseconds(500))
    #expect(worker.handOverOutput(to: Self.loop))
    var seen: [Int] = []
    for await frame in worker.frames { seen.append(frame["n"]?.intValue ?? -1) }
    #expect(seen == Array(0..<300))
    #expect(await worker.waitForExit() == .exited(0))
  }

  @Test(
    "A worker that outruns its consumer waits on its pipe; the server holds a bounded buffer",
    arguments: [false, true])
  func backpressure(handedOver: Bool) async throws {
    let worker = try Self.flood()
    if handedOver { #expect(worker.handOverOutput(to: Self.loop)) }
    try await Task.sleep(for: .seconds(2))
    // Unread, the frames would be 625 MiB in memory; instead the worker is still writing.
    #expect(worker.status == nil)
    var count = 0
    for await frame in worker.frames where frame.type == "log" { count += 1 }
    #expect(count == 10000)
    #expect(await worker.waitForExit() == .exited(0))
  }

  @Test(
    "Killing a worker blocked on a full buffer ends it and its frames", arguments: [false, true])
  func killWhileBlocked(handedOver: Bool) async throws {
    let worker = try Self.flood()
    if handedOver { #expect(worker.handOverOutput(to: Self.loop)) }
    try await Task.sleep(for: .seconds(1))
    worker.kill()
    #expect(await worker.waitForExit() == .signaled(SIGKILL))
    for await _ in worker.frames {}
  }

  @Test("Output that is not frames stops the worker; its frames end after the last whole one")
  func brokenOutput() async throws {
    // A length field of 0xFFFFFFFF: past the largest frame.
    let worker = try Self.counter(3, tail: "\\xff\\xff\\xff\\xff")
    #expect(worker.handOverOutput(to: Self.loop))
    var seen: [Int] = []
    for await frame in worker.frames { seen.append(frame["n"]?.intValue ?? -1) }
    #expect(seen == [0, 1, 2])
    _ = await worker.waitForExit()
  }

  @Test("A worker that already ended is not handed over; its frames end as before")
  func endedWorker() async throws {
    let worker = try Self.counter(2)
    #expect(await worker.waitForExit() == .exited(0))
    try await Task.sleep(for: .milliseconds(100))
    #expect(worker.handOverOutput(to: Self.loop) == false)
    var count = 0
    for await _ in worker.frames { count += 1 }
    #expect(count == 2)
  }
}
