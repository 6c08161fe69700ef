import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

@Suite("Projects API")
struct ProjectRoutesTests {
  @Test("GET /healthz answers {\"ok\": true}")
  func health() async throws {
    try await TestServer().test { client in
      let response = try await client.send(.get, "/healthz")
      #expect(response.status == .ok)
      #expect(response.text == #"{"ok":true}"#)
    }
  }

  @Test("a new project lists its template's files and shows in the list")
  func createListGet() async throws {
    try await TestServer().test { client in
      let empty = try await client.send(.get, "/api/projects")
      #expect(empty.status == .ok)
      #expect(empty.text == "[]")

      let created = try await client.send(.post, "/api/projects", json: ["name": "My cart"])
      #expect(created.status == .ok)
      let info = try created.json(ProjectInfo.self)
      #expect(info.name == "My cart")
      #expect(info.files == ["env.py", "scene.xml"])
      #expect(info.id.rawValue.count == 10)
      let keys = (created.object as? [String: Any]).map { Set($0.keys) }
      #expect(keys == ["id", "name", "files"])

      let listed = try await client.send(.get, "/api/projects").json([ProjectInfo].self)
      #expect(listed == [info])
      let got = try await client.send(.get, "/api/projects/\(info.id)").json(ProjectInfo.self)
      #expect(got == info)
    }
  }

  @Test("templates: cartpole by default, empty, pendulum; unknown is a 400")
  func templates() async throws {
    try await TestServer().test { client in
      let empty = try await client.createProject(template: "empty")
      #expect(empty.files == ["env.py", "scene.xml"])
      let envText = try await client.readFile(empty.id, "env.py")
      #expect(envText.contains("raise NotImplementedError"))
      let pendulum = try await client.createProject(template: "pendulum")
      #expect(try await client.readFile(pendulum.id, "scene.xml").contains("hinge"))
      let unknown = try await client.send(
        .post, "/api/projects", json: ["name": "x", "template": "nope"])
      #expect(unknown.status == .badRequest)
      #expect(unknown.detail?.contains("unknown template") == true)
      let list = try await client.send(.get, "/api/templates")
      #expect(list.status == .ok)
      #expect(list.text.contains("cartpole"))
    }
  }

  @Test("the cartpole scene has the parts the contract names")
  func cartpoleScene() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let scene = try await client.readFile(info.id, "scene.xml")
      for part in [
        #"type="plane""#, "<light", #"name="cart""#, #"name="pole""#, #"type="slide""#,
        #"range="-2 2""#, #"axis="0 1 0""#, #"gear="50""#, #"ctrlrange="-1 1""#,
        #"timestep="0.01""#, #"rgba="0.9 0.6 0.1 1""#,
      ] {
        #expect(scene.contains(part), "scene.xml lacks \(part)")
      }
    }
  }

  @Test("unknown project ids are 404, ids that are not ours 400")
  func unknownAndInvalidIDs() async throws {
    try await TestServer().test { client in
      #expect(try await client.send(.get, "/api/projects/0123456789").status == .notFound)
      #expect(try await client.send(.delete, "/api/projects/0123456789").status == .notFound)
      for id in [".", "%2E", "%2e%2e", "..%2F..", "ABCDEF1234", "xyz", "0123456789%00"] {
        let response = try await client.send(.get, "/api/projects/\(id)")
        #expect(response.status == .badRequest || response.status == .notFound, "id \(id)")
        #expect(response.detail != nil)
        let file = try await client.send(.get, "/api/projects/\(id)/file?path=env.py")
        #expect(file.status == .badRequest || file.status == .notFound, "id \(id)")
      }
      #expect(try await client.send(.get, "/api/projects/%2E").status == .badRequest)
    }
  }

  @Test("unknown API paths are a JSON 404, never the web page")
  func unknownAPIPath() async throws {
    try await TestServer().test { client in
      let response = try await client.send(.get, "/api/nothing-here")
      #expect(response.status == .notFound)
      #expect(response.detail != nil)
    }
  }

  @Test("a bad JSON body is a 400 with a detail")
  func badJSON() async throws {
    try await TestServer().test { client in
      let response = try await client.execute(
        uri: "/api/projects", method: .post, body: ByteBuffer(string: "{not json"))
      #expect(response.status == .badRequest)
      #expect(response.detail != nil)
    }
  }

  @Test("projects per session are limited with a 413 that names the limit")
  func projectLimit() async throws {
    var limits = ProjectLimits()
    limits.maxProjectsPerSession = 2
    try await TestServer(limits: limits).test { client in
      _ = try await client.createProject()
      _ = try await client.createProject()
      let third = try await client.send(.post, "/api/projects", json: ["name": "3"])
      #expect(third.status == .contentTooLarge)
      #expect(third.detail?.contains("maximum of 2 projects") == true)
    }
  }
}
