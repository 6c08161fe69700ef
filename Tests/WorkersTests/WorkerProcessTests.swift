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
