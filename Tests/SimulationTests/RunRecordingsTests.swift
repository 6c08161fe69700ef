import Foundation
import TestSupport
import Testing

@testable import Simulation

/// Recordings live inside projects, where the project's own code can write: they must never be
/// a way to make the server read, write or delete elsewhere.
@Suite("Run recordings")
struct RunRecordingsTests {
  static func record(_ recordings: RunRecordings, in project: URL) throws -> String {
    let recording = try recordings.begin(
      project: project, xmlPath: "scene.xml", settings: try EpisodeSettings(message: [:]))
    recording.append(
      telemetry: StepTelemetry(
        step: 0, reward: 0, totalReward: 0, simTime: 0, realTimeFactor: 1, obs: nil, action: nil),
      state: [0, 1, 2])
    recording.finish(
      summary: EpisodeSummary(steps: 1, totalReward: 0, reason: .finished, wallSeconds: 0))
    return try #require(recordings.list(project: project).first?.id)
  }

  @Test("Steps of a run that stops stepping (paused) reach its files within seconds, unfinished")
  func pausedRunIsWritten() async throws {
    let project = try TestPaths.temporaryFolder()
    let recordings = RunRecordings()
    let recording = try recordings.begin(
      project: project, xmlPath: "scene.xml", settings: try EpisodeSettings(message: [:]))
    for step in 0..<3 {
      recording.append(
        telemetry: StepTelemetry(
          step: step, reward: 1, totalReward: Double(step), simTime: Double(step) / 60,
          realTimeFactor: 1, obs: nil, action: nil),
        state: [Double(step), 1, 2])
    }
    let run = try #require(recordings.list(project: project).first?.id)
    let deadline = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < deadline,
      (try? recordings.telemetry(project: project, run: run).count) != 3
    {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(try recordings.telemetry(project: project, run: run).map(\.step) == [0, 1, 2])
    recording.finish(
      summary: EpisodeSummary(steps: 3, totalReward: 3, reason: .finished, wallSeconds: 0))
    #expect(try recordings.info(project: project, run: run).steps == 3)
    #expect(try recordings.state(project: project, run: run, step: 2).state == [2, 1, 2])
  }

  @Test("A link planted at .tau/runs is never followed: nothing is written or pruned through it")
  func plantedLink() throws {
    let project = try TestPaths.temporaryFolder()
    let outside = try TestPaths.temporaryFolder()
    for name in ["20000101-000000-0000", "20000101-000000-0001", "notes.txt"] {
      try "keep".write(to: outside.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent(".tau"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: project.appendingPathComponent(".tau/runs"), withDestinationURL: outside)

    let recordings = RunRecordings(keep: 1)
    #expect(throws: RunError.self) {
      try recordings.begin(
        project: project, xmlPath: "scene.xml", settings: try EpisodeSettings(message: [:]))
    }
    #expect(recordings.list(project: project).isEmpty)
    #expect(throws: RunError.unknown("20000101-000000-0000")) {
      try recordings.info(project: project, run: "20000101-000000-0000")
    }
    let left = try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted()
    #expect(left == ["20000101-000000-0000", "20000101-000000-0001", "notes.txt"])
  }

  @Test("A run.json rewritten to point elsewhere or to size reads absurdly is refused")
  func rewrittenInfo() throws {
    let project = try TestPaths.temporaryFolder()
    let recordings = RunRecordings()
    let run = try Self.record(recordings, in: project)
    #expect(try recordings.state(project: project, run: run, step: 0).state == [0, 1, 2])

    let file = project.appendingPathComponent(".tau/runs/\(run)/run.json")
    let original = try String(contentsOf: file, encoding: .utf8)
    for (field, value) in [
      ("xml_path", #""..\/..\/other\/scene.xml""#), ("xml_path", #""\/etc\/scene.xml""#),
      ("state_size", "1000000000000"), ("fps", "0"),
    ] {
      var object = try #require(
        try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
      object[field] = try JSONSerialization.jsonObject(
        with: Data(value.utf8), options: .fragmentsAllowed)
      try JSONSerialization.data(withJSONObject: object).write(to: file)
      #expect(throws: RunError.self, "\(field) = \(value)") {
        try recordings.state(project: project, run: run, step: 0)
      }
    }
  }

  @Test("A states file swapped for a link is not read")
  func linkedStates() throws {
    let project = try TestPaths.temporaryFolder()
    let recordings = RunRecordings()
    let run = try Self.record(recordings, in: project)
    let states = project.appendingPathComponent(".tau/runs/\(run)/states.f64")
    let secret = try TestPaths.temporaryFolder().appendingPathComponent("secret.bin")
    try Data(repeating: 7, count: 24).write(to: secret)
    try FileManager.default.removeItem(at: states)
    try FileManager.default.createSymbolicLink(at: states, withDestinationURL: secret)
    #expect(throws: RunError.damaged(run, "states.f64 is missing")) {
      try recordings.state(project: project, run: run, step: 0)
    }
  }
}
