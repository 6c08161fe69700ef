import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Issue 11, with the robots of `../shared/menagerie` as the local checkout
/// (`MENAGERIE_ROOT`) and Google DeepMind's catalog.
@Suite("Menagerie import")
struct MenagerieImportTests {
  static let local = [
    "franka_emika_panda", "kuka_iiwa_14", "robotiq_2f85", "shadow_hand", "wonik_allegro",
  ]

  static func importModel(
    _ client: any TestClientProtocol, _ model: String, into project: ProjectID
  ) async throws -> [String: Any] {
    let response = try await SlowClient(port: try #require(client.port)).send(
      .post, "/api/projects/\(project)/import/menagerie", json: ["model": model])
    guard response.status == .ok, let answer = response.object as? [String: Any] else {
      throw TestFailure("import \(model): \(response.status) \(response.text)")
    }
    return answer
  }

  @Test("Each local robot imports, compiles and runs 200 steps; the arms hold their pose")
  func importAndRun() async throws {
    let server = try TestServer()
    let projects = server.projectsDirectory
    try await server.testWithSimulation { client, services in
      let port = try #require(client.port)
      for model in Self.local {
        let project = try await client.createProject(name: model, template: "empty")
        let answer = try await Self.importModel(client, model, into: project.id)
        #expect(answer["model"] as? String == model)
        #expect((answer["file_count"] as? Int ?? 0) > 3, "\(answer)")
        let entry = try #require(answer["entry_xml"] as? String)
        if model == "shadow_hand" { #expect(entry == "scene_left.xml") }
        let env = try await client.readFile(project.id, "env.py")
        #expect(env.contains("xml_path = '\(entry)'"), "\(env.prefix(300))")
        #expect(try await client.readFile(project.id, "LICENSE").count > 100)

        let messages = try await withStream(port: port, project: project.id) { stream in
          try await stream.send(["max_steps": 200, "width": 32, "height": 24, "speed": 0])
          return await stream.untilDone(timeout: .seconds(120))
        }
        #expect(
          messages.last?.json["reason"] as? String == "max_steps",
          "\(model): \(messages.map(\.message).suffix(3))")

        // The recorded states: finite throughout, and the arms still in their keyframe pose.
        let folder = projects.appendingPathComponent("local/\(project.id)")
        let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
        let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
        let states = try await BlockingIO.run {
          try services.recordings.states(project: folder, run: run)
        }
        let summary = try await services.renderer.load(
          .file(path: folder.appendingPathComponent(entry).path, confinedTo: folder.path))
        #expect(states.count == 201)
        #expect(states.allSatisfy { $0.allSatisfy(\.isFinite) })
        if ["franka_emika_panda", "kuka_iiwa_14"].contains(model),
          let first = states.first, let last = states.last
        {
          let drift = (1...summary.nq).map { abs(last[$0] - first[$0]) }.max() ?? 0
          #expect(drift < 0.05, "\(model) drifted \(drift) from its keyframe")
        }
      }
    }
  }

  @Test("The catalog: every registry model, the five local ones available offline")
  func catalog() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let names = try await client.send(.get, "/api/menagerie/models")
      let list = try #require(names.object as? [String])
      #expect(list.count >= 60 && list == list.sorted())
      let catalog = try #require(
        try await client.send(.get, "/api/menagerie/catalog").object as? [[String: Any]])
      let offline = catalog.filter { $0["available_offline"] as? Bool == true }
        .compactMap { $0["name"] as? String }
      #expect(offline.sorted() == Self.local)
      let panda = try #require(catalog.first { $0["name"] as? String == "franka_emika_panda" })
      #expect(panda["category"] as? String == "arm")
      #expect(panda["license"] as? String == "Apache-2.0")
      let arms = try #require(
        try await client.send(.get, "/api/menagerie/catalog?category=arm&q=panda").object
          as? [[String: Any]])
      #expect(arms.map { $0["name"] as? String } == ["franka_emika_panda"])
    }
  }

  @Test("Bad names are 400s; an unknown model names close ones; the old env.py is kept")
  func errorsAndHistory() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let original = try await client.readFile(project.id, "env.py")
      for bad in ["../etc", ".hidden", "a/b", "x y", ""] {
        let response = try await SlowClient(port: try #require(client.port)).send(
          .post, "/api/projects/\(project.id)/import/menagerie", json: ["model": bad])
        #expect(response.status == .badRequest, "\(bad): \(response.text)")
      }
      let unknown = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/projects/\(project.id)/import/menagerie", json: ["model": "franka_emika_pand"])
      #expect(unknown.status == .badRequest)
      #expect(
        unknown.text.contains("model not found") && unknown.text.contains("franka_emika_panda"))
      // Not local and not cached, with no network to fetch it: a 502 that says how to work offline.
      let remote = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/projects/\(project.id)/import/menagerie", json: ["model": "unitree_go2"])
      #expect(remote.status == .badGateway, "\(remote.text)")
      #expect(remote.text.contains("MENAGERIE_ROOT"))
      #expect(try await client.readFile(project.id, "env.py") == original)

      _ = try await Self.importModel(client, "kuka_iiwa_14", into: project.id)
      let history = try await client.send(.get, "/api/projects/\(project.id)/history?path=env.py")
      let versions = try #require(history.object as? [[String: Any]])
      let version = try #require(versions.first?["version"] as? String)
      let restored = try await client.send(
        .post, "/api/projects/\(project.id)/history/restore",
        json: ["path": "env.py", "version": version])
      #expect(restored.status == .ok, "\(restored.text)")
      #expect(try await client.readFile(project.id, "env.py") == original)
    }
  }

  @Test("A project made straight from a robot holds the robot, its default scene and env.py")
  func createFromRobot() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let response = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/projects", json: ["name": "hand", "template": "shadow_hand"])
      #expect(response.status == .ok, "\(response.text)")
      let info = try JSONDecoder().decode(ProjectInfo.self, from: response.data)
      #expect(info.name == "hand")
      #expect(info.files.contains("scene_left.xml") && info.files.contains("env.py"))
      #expect(!info.files.contains("scene.xml"))
      // An unknown robot leaves no project behind.
      let before = try await client.send(.get, "/api/projects").json([ProjectInfo].self).count
      let unknown = try await SlowClient(port: try #require(client.port)).send(
        .post, "/api/projects", json: ["name": "x", "template": "no_such_robot"])
      #expect(unknown.status == .badRequest)
      #expect(try await client.send(.get, "/api/projects").json([ProjectInfo].self).count == before)
    }
  }
}
