import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// `POST /api/projects/{id}/check`: the simulator's check of any set of files, written
/// nowhere.
@Suite("Proposal checks")
struct ProposalCheckTests {
  static func check(
    _ client: any TestClientProtocol, _ project: ProjectID, _ proposals: [[String: String]]
  ) async throws -> [String: Any] {
    let response = try await SlowClient(port: try #require(client.port)).send(
      .post, "/api/projects/\(project)/check", json: ["proposals": proposals])
    guard response.status == .ok, let object = response.object as? [String: Any],
      let check = object["check"] as? [String: Any]
    else { throw TestFailure("check: \(response.status) \(response.text)") }
    return check
  }

  @Test("Broken XML is reported with its line; the file is untouched")
  func brokenScene() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let scene = try await client.readFile(project.id, "scene.xml")
      var lines = scene.components(separatedBy: "\n")
      #expect(lines[1].contains("<option"))
      lines[1] = "  <option timestep=\"0.01\" bogus=\"1\"/>"
      let check = try await Self.check(
        client, project.id, [["path": "scene.xml", "new_content": lines.joined(separator: "\n")]])
      #expect(check["ok"] as? Bool == false)
      let error = try #require((check["errors"] as? [[String: Any]])?.first)
      #expect(error["stage"] as? String == "scene")
      #expect(error["file"] as? String == "scene.xml")
      #expect(error["line"] as? Int == 2, "\(error)")
      #expect(try await client.readFile(project.id, "scene.xml") == scene)
    }
  }

  @Test("An env that raises in step is reported with file and line; before/after side by side")
  func raisingEnvAndComparison() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let env = try await client.readFile(project.id, "env.py")
      let raising = env.replacingOccurrences(
        of: "    def step(self, model, data, action):\n",
        with: "    def step(self, model, data, action):\n        raise RuntimeError('broken')\n")
      #expect(raising != env, "the template's step() changed shape")
      let broken = try await Self.check(
        client, project.id, [["path": "env.py", "new_content": raising]])
      #expect(broken["ok"] as? Bool == false)
      let error = try #require((broken["errors"] as? [[String: Any]])?.first)
      #expect(error["stage"] as? String == "python")
      #expect(error["file"] as? String == "env.py")
      let line = raising.components(separatedBy: "\n").firstIndex {
        $0.contains("raise RuntimeError('broken')")
      }.map { $0 + 1 }
      #expect(error["line"] as? Int == line, "\(error)")

      // A reward that doubles: both totals, side by side.
      let doubled = env.replacingOccurrences(
        of: "return obs, reward, done", with: "return obs, 2 * reward, done")
      #expect(doubled != env, "the template's step() changed shape")
      let compared = try await Self.check(
        client, project.id, [["path": "env.py", "new_content": doubled]])
      #expect(compared["ok"] as? Bool == true, "\(compared)")
      let before = try #require(
        ((compared["before"] as? [String: Any])?["episodes"] as? [[String: Any]])?.first)
      let after = try #require(
        ((compared["after"] as? [String: Any])?["episodes"] as? [[String: Any]])?.first)
      let was = try #require(before["total_reward"] as? Double)
      let now = try #require(after["total_reward"] as? Double)
      #expect(was != 0 && abs(now - 2 * was) < 1e-6 * max(1, abs(was)), "\(was) → \(now)")
      #expect(before["steps"] as? Int == 200 && after["steps"] as? Int == 200)
      #expect(after["root_height_end"] is Double && after["travel"] is Double)
      // Nothing written; a proposal for ../x refused.
      #expect(try await client.readFile(project.id, "env.py") == env)
      let outside = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/projects/\(project.id)/check",
        json: ["proposals": [["path": "../x.py", "new_content": "print(1)"]]])
      let refused = try #require((outside.object as? [String: Any])?["refused"] as? [[String: Any]])
      #expect(refused.first?["path"] as? String == "../x.py")
    }
  }
}
