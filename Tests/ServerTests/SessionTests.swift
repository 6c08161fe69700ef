import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

@Suite("Sessions")
struct SessionTests {
  /// Starts a session: the first request gets a fresh `tau_sid` cookie.
  static func newSession(_ client: any TestClientProtocol) async throws -> HTTPFields {
    let response = try await client.send(.get, "/api/projects")
    let header = try #require(setCookie(response, named: "tau_sid"))
    #expect(header.contains("HttpOnly"))
    #expect(header.contains("SameSite=Lax"))
    #expect(!header.contains("Secure"))
    let value = cookieValue(header)
    #expect(value.count == 32 && value.allSatisfy(\.isHexDigit))
    return [.cookie: "tau_sid=\(value)"]
  }

  @Test("a second session cannot list, read, write or delete the first one's projects")
  func isolation() async throws {
    try await TestServer(multiUser: true).test { client in
      let alice = try await Self.newSession(client)
      let bob = try await Self.newSession(client)
      #expect(alice != bob)
      let info = try await client.createProject(name: "alice's", headers: alice)

      #expect(try await client.send(.get, "/api/projects", headers: bob).text == "[]")
      #expect(
        try await client.send(.get, "/api/projects/\(info.id)", headers: bob).status == .notFound)
      let read = try await client.send(
        .get, "/api/projects/\(info.id)/file?path=env.py", headers: bob)
      #expect(read.status == .notFound)
      let write = try await client.send(
        .put, "/api/projects/\(info.id)/file", json: ["path": "env.py", "content": "bob"],
        headers: bob)
      #expect(write.status == .notFound)
      let delete = try await client.send(.delete, "/api/projects/\(info.id)", headers: bob)
      #expect(delete.status == .notFound)
      let zip = try await client.send(.get, "/api/projects/\(info.id)/zip", headers: bob)
      #expect(zip.status == .notFound)
      let history = try await client.send(
        .get, "/api/projects/\(info.id)/history?path=env.py", headers: bob)
      #expect(history.status == .notFound)

      #expect(
        try await client.send(.delete, "/api/projects/\(info.id)", headers: alice).status == .ok)
      #expect(try await client.send(.get, "/api/trash", headers: bob).text == "[]")
      let steal = try await client.send(.post, "/api/trash/\(info.id)/restore", headers: bob)
      #expect(steal.status == .notFound)
      let back = try await client.send(.post, "/api/trash/\(info.id)/restore", headers: alice)
      #expect(back.status == .ok)
      let list = try await client.send(.get, "/api/projects", headers: alice).json(
        [ProjectInfo].self)
      #expect(list.map(\.id) == [info.id])
    }
  }

  @Test("a malformed or unknown cookie gets a fresh empty session")
  func badCookies() async throws {
    try await TestServer(multiUser: true).test { client in
      let alice = try await Self.newSession(client)
      _ = try await client.createProject(headers: alice)
      for value in ["local", "../x", "ABCDEF", String(repeating: "a", count: 32), "%2E"] {
        let response = try await client.send(
          .get, "/api/projects", headers: [.cookie: "tau_sid=\(value)"])
        #expect(response.status == .ok)
        #expect(response.text == "[]", "cookie \(value)")
        let fresh = try #require(setCookie(response, named: "tau_sid"))
        #expect(cookieValue(fresh) != value)
      }
    }
  }

  @Test("a WebSocket upgrade without the session cookie is refused")
  func upgradeNeedsCookie() async throws {
    try await TestServer(multiUser: true, port: 80).test { client in
      let alice = try await Self.newSession(client)
      let info = try await client.createProject(headers: alice)
      let upgrade: HTTPFields = [.testUpgrade: "websocket", .connection: "Upgrade"]
      let refused = try await client.send(.get, "/ws/sim/\(info.id)", headers: upgrade)
      #expect(refused.status == .forbidden)
      #expect(setCookie(refused, named: "tau_sid") == nil)
    }
  }

  @Test("the cookie is Secure when a local proxy says the request came over https")
  func secureBehindProxy() async throws {
    try await TestServer(multiUser: true).test { client in
      let response = try await client.send(
        .get, "/api/projects", headers: [.testForwardedProto: "https"])
      let header = try #require(setCookie(response, named: "tau_sid"))
      #expect(header.contains("Secure"))
    }
  }

  @Test("single-user mode uses the session local and sets no cookie")
  func singleUser() async throws {
    let server = try TestServer()
    try await server.test { client in
      let response = try await client.send(.post, "/api/projects", json: ["name": "a"])
      #expect(setCookie(response, named: "tau_sid") == nil)
      let id = try response.json(ProjectInfo.self).id
      #expect(
        FileManager.default.fileExists(
          atPath: server.projectsDirectory.appendingPathComponent("local/\(id)/.name").path))
    }
  }

  @Test("only the newest sessions are remembered; one with projects is known by its folder")
  func registryIsBounded() throws {
    let projects = try makeTemporaryFolder()
    let registry = SessionRegistry(projectsDirectory: projects, capacity: 2)
    let withProjects = registry.issue()
    try FileManager.default.createDirectory(
      at: projects.appendingPathComponent(withProjects.rawValue), withIntermediateDirectories: true)
    let empty = registry.issue()
    let sessions = (0..<5).map { _ in registry.issue() }
    #expect(!registry.isKnown(empty))
    #expect(registry.isKnown(withProjects))
    #expect(registry.isKnown(sessions[4]))
    #expect(!registry.isKnown(sessions[0]))
  }
}
