import Foundation
import Simulation
import TestSupport
import Testing

@Suite("The job's bounds")
struct JobBoundsTests {
  @Test("The python worker accepts exactly the steps and fps the stream accepts")
  func sameOnBothSides() async throws {
    let result = try await ProcessRunner.python(
      """
      import sys
      sys.path.insert(0, sys.argv[1])
      from tau_env import job
      print(*job.MAX_STEPS_RANGE, *job.FPS_RANGE)
      """, [TestPaths.packageRoot.appendingPathComponent("python").path])
    #expect(result.status == 0, "\(result.stderr)")
    let numbers = result.stdout.split(separator: " ").compactMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let steps = EpisodeSettings.stepRange
    let fps = EpisodeSettings.fpsRange
    #expect(numbers == [steps.lowerBound, steps.upperBound, fps.lowerBound, fps.upperBound])
  }
}
