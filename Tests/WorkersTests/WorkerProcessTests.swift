import Foundation
import TestSupport
import Testing
import Workers

@Suite("Worker processes")
struct WorkerProcessTests {
  @Test("Once a worker's input is closed a send fails, and a kill after it exited is a no-op")
  func sendAfterClose() async throws {
    let worker = try WorkerProcess(executable: "/bin/cat", arguments: [], environment: [:])
    worker.closeInput()
    // The closed descriptor's number may already belong to another file: never write to it.
    await #expect(throws: WorkerError.self) { try await worker.send(ModelWorkerRequest.ping.frame) }
    #expect(await worker.waitForExit() == .exited(0))
    worker.kill()
    #expect(worker.status == .exited(0))
  }
}

extension WorkerProcessTests {
  /// A worker writing 10,000 frames of 64 KiB (625 MiB) as fast as it can.
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

  @Test("A worker that outruns its consumer waits on its pipe; the server holds a bounded buffer")
  func backpressure() async throws {
    let worker = try Self.flood()
    try await Task.sleep(for: .seconds(2))
    // Unread, the frames would be 625 MiB in memory; instead the worker is still writing.
    #expect(worker.status == nil)
    var count = 0
    for await frame in worker.frames where frame.type == "log" { count += 1 }
    #expect(count == 10000)
    #expect(await worker.waitForExit() == .exited(0))
  }

  @Test("Killing a worker blocked on a full buffer ends it and its frames")
  func killWhileBlocked() async throws {
    let worker = try Self.flood()
    try await Task.sleep(for: .seconds(1))
    worker.kill()
    #expect(await worker.waitForExit() == .signaled(SIGKILL))
  }
}
