import Foundation
import TestSupport
import Testing

/// `tau validate` and `tau render`, run as a user runs them.
@Suite("The tau command line")
struct CommandLineTests {
  static func tau(_ arguments: String...) async throws -> ProcessResult {
    try await ProcessRunner.run(
      TestPaths.tauExecutable, arguments,
      environment: ["PATH": "/usr/bin:/bin", "MUJOCO_GL": "osmesa"])
  }

  @Test("validate exits 0 for a good project folder")
  func validateGood() async throws {
    let scene = try TestPaths.cartpoleScene()
    let result = try await Self.tau("validate", scene.deletingLastPathComponent().path)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("ok"))
  }

  @Test("validate exits 1 with file:line: message for a malformed model")
  func validateBad() async throws {
    let folder = try TestPaths.temporaryFolder()
    let file = folder.appendingPathComponent("scene.xml")
    try "<mujoco>\n  <worldbody>\n    <bogus/>\n  </worldbody>\n</mujoco>\n".write(
      to: file, atomically: true, encoding: .utf8)
    let result = try await Self.tau("validate", file.path)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("\(file.path):3: "), "\(result.stderr)")
    let json = try await Self.tau("validate", "--json", file.path)
    #expect(json.status == 1)
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["ok"] as? Bool == false)
    #expect((object?["error"] as? [String: Any])?["line"] as? Int == 3)
  }

  @Test("validate --json reports the model summary")
  func validateJSON() async throws {
    let panda = TestPaths.menagerie.appendingPathComponent("franka_emika_panda")
    let result = try await Self.tau("validate", "--json", panda.path)
    #expect(result.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    let summary = object?["summary"] as? [String: Any]
    #expect(summary?["nu"] as? Int == 8)
    #expect((summary?["bodies"] as? [String])?.contains("hand") == true)
  }

  @Test("render writes a PNG and a JPEG of the asked size")
  func render() async throws {
    let scene = try TestPaths.cartpoleScene()
    let folder = scene.deletingLastPathComponent()
    for name in ["out.png", "out.jpg"] {
      let output = folder.appendingPathComponent(name)
      let result = try await Self.tau(
        "render", scene.path, "-o", output.path, "--width", "320", "--height", "200", "--quality",
        "fast")
      #expect(result.status == 0, "\(result.stderr)")
      let bytes = try Data(contentsOf: output)
      #expect(bytes.count > 1000)
    }
    let camera = try await Self.tau(
      "render", scene.path, "-o", folder.appendingPathComponent("c.png").path, "--camera", "side")
    #expect(camera.status == 0, "\(camera.stderr)")
    let unknown = try await Self.tau(
      "render", scene.path, "-o", folder.appendingPathComponent("d.png").path, "--camera", "nope")
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("no camera named 'nope'"))
  }

  @Test("run plays a project headless, prints a summary and exits 0")
  func runCartpole() async throws {
    let folder = try TestPaths.cartpoleScene().deletingLastPathComponent()
    let result = try await Self.tau("run", folder.path, "--steps", "50")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("steps:        50"))
    #expect(result.stdout.contains("ended:        max_steps"))
    let json = try await Self.tau("run", folder.path, "--steps", "20", "--json")
    let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect(object?["steps"] as? Int == 20)
    #expect((object?["total_reward"] as? Double ?? 0) > 19)
  }

  @Test("run exits 1 with the error on a broken project")
  func runBroken() async throws {
    let folder = try TestPaths.cartpoleScene().deletingLastPathComponent()
    try "def make_env(:\n    pass\n".write(
      to: folder.appendingPathComponent("env.py"), atomically: true, encoding: .utf8)
    let result = try await Self.tau("run", folder.path, "--steps", "10")
    #expect(result.status == 1)
    #expect(result.stderr.contains("env.py:1"), "\(result.stderr)")
    let missing = try await Self.tau("run", "/nonexistent/project")
    #expect(missing.status == 1)
  }

  @Test("--version names tau's and MuJoCo's versions")
  func version() async throws {
    let result = try await Self.tau("--version")
    #expect(result.stdout.contains("MuJoCo 4.0.1"))
  }
}
