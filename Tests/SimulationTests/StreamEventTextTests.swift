import Foundation
import Testing
import Workers

@testable import Simulation

/// A step's message is written member by member, not through a dictionary: it must still say
/// what the original's client reads, under the original's names.
@Suite("A stream event's text")
struct StreamEventTextTests {
  static func frame(step: Int, jpeg: Data = Data(), poses: Data? = nil) -> StreamEvent {
    .frame(
      EpisodeFrame(
        telemetry: StepTelemetry(
          step: step, reward: .nan, totalReward: 2.5, simTime: 0.05, realTimeFactor: 0.99951,
          obs: [0.1, -.infinity, 3], action: [1]),
        jpeg: jpeg, state: [], poses: poses))
  }

  static func object(_ text: String) throws -> [String: JSONValue] {
    try #require(try JSONValue(parsing: Array(text.utf8)).objectValue)
  }

  @Test(
    "A frame is numbered from 0 with its reward, total, time, rtf, obs and action, and its image")
  func frame() throws {
    let jpeg = Data([0xFF, 0xD8, 0xFF])
    let message = try Self.object(Self.frame(step: 3, jpeg: jpeg).text(binary: false))
    #expect(
      message == [
        "type": "frame", "step": 2, "reward": 0, "total_reward": 2.5, "sim_time": 0.05,
        "rtf": 1, "obs": .array([0.1, 0, 3]), "action": .array([1]),
        "jpeg_b64": .string(jpeg.base64EncodedString()),
      ])
    let binary = try Self.object(Self.frame(step: 3, jpeg: jpeg).text(binary: true))
    #expect(binary["bytes"] == 3 && binary["jpeg_b64"] == nil)
    let threeD = try Self.object(Self.frame(step: 3, poses: Data([1])).text(binary: false))
    #expect(threeD["bytes"] == nil && threeD["jpeg_b64"] == nil && threeD["step"] == 2)
  }

  @Test("A reset has no step, reward or total; a recording's line keeps the step as counted")
  func resetAndLine() throws {
    let reset = try Self.object(Self.frame(step: 0, poses: Data([1])).text(binary: false))
    #expect(reset["type"] == "reset" && reset["sim_time"] == 0.05)
    #expect(reset["step"] == nil && reset["reward"] == nil && reset["total_reward"] == nil)
    guard case .frame(let frame) = Self.frame(step: 3) else { return }
    let line = try JSONDecoder().decode(StepTelemetry.self, from: Data(frame.telemetry.line.utf8))
    #expect(
      line.step == 3 && line.reward == 0 && line.obs == [0.1, 0, 3] && line.realTimeFactor == 1)
  }

  @Test("Logs and done keep their shapes")
  func others() throws {
    #expect(
      try Self.object(StreamEvent.log(level: .info, message: "a \"quoted\"\n").text(binary: false))
        == ["type": "log", "level": "info", "message": "a \"quoted\"\n"])
    #expect(
      try Self.object(
        StreamEvent.done(totalReward: 4, reason: .finished, steps: 5).text(binary: true))
        == ["type": "done", "total_reward": 4, "reason": "finished", "steps": 5])
  }
}
