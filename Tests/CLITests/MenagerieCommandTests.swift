import Foundation
import TestSupport
import Testing

/// `tau menagerie`, with `../shared/menagerie` as the local checkout and no network.
@Suite("tau menagerie")
struct MenagerieCommandTests {
  static func tau(_ arguments: String...) async throws -> ProcessResult {
    let cache = try TestPaths.temporaryFolder()
    return try await ProcessRunner.run(
      TestPaths.tauExecutable, arguments,
      environment: [
        "PATH": "/usr/bin:/bin", "MUJOCO_GL": "osmesa", "HOME": cache.path,
        "MENAGERIE_ROOT": TestPaths.menagerie.path, "MENAGERIE_CACHE_DIR": cache.path,
        "TAU_GITHUB_API_URL": "http://127.0.0.1:9/unreachable",
        "MENAGERIE_BASE_URL": "http://127.0.0.1:9/unreachable",
      ])
  }

  @Test("list shows the catalog and which robots are here offline; info names entry points")
  func listAndInfo() async throws {
    let list = try await Self.tau("menagerie", "list", "--category", "arm", "--json")
    #expect(list.status == 0, "\(list.stderr)")
    let models = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(models.allSatisfy { $0["category"] as? String == "arm" })
    let offline = models.filter { $0["available_offline"] as? Bool == true }
      .compactMap { $0["name"] as? String }
    #expect(offline.sorted() == ["franka_emika_panda", "kuka_iiwa_14"])
    let info = try await Self.tau("menagerie", "info", "shadow_hand")
    #expect(info.stdout.contains("default scene: scene_left"), "\(info.stdout)")
    let unknown = try await Self.tau("menagerie", "info", "no_such_robot")
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("model not found: no_such_robot"))
  }

  @Test("import writes a project folder that validates, keeping what it replaces")
  func importIntoFolder() async throws {
    let project = try TestPaths.temporaryFolder().appendingPathComponent("iiwa")
    try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    try "print('mine')\n".write(
      to: project.appendingPathComponent("env.py"), atomically: true, encoding: .utf8)
    let result = try await Self.tau("menagerie", "import", "kuka_iiwa_14", project.path)
    #expect(result.status == 0, "\(result.stderr)")
    let env = try String(contentsOf: project.appendingPathComponent("env.py"), encoding: .utf8)
    #expect(env.contains("HOLD_KEYFRAME = 'home'"))
    let kept = try String(
      contentsOf: project.appendingPathComponent("env.py.orig"), encoding: .utf8)
    #expect(kept == "print('mine')\n")
    let validate = try await CommandLineTests.tau("validate", project.path)
    #expect(validate.status == 0, "\(validate.stderr)")
  }
}
