import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

@testable import Server

/// Issue 10.10, as the attacks: deleting and creating without end, minting sessions without
/// cookies, and filling the server's disk.
@Suite("Limits across sessions")
struct SessionAndDiskLimitTests {
  @Test("Create/delete cycles leave a bounded trash: the oldest deleted projects make room")
  func trashIsBounded() async throws {
    let server = try TestServer(limits: ProjectLimits(maxProjectsPerSession: 10))
    try await server.test { client in
      let kept = try await client.createProject(name: "kept")
      var lastDeleted: ProjectID?
      for cycle in 0..<40 {
        let project = try await client.createProject(name: "cycle \(cycle)")
        let deleted = try await client.send(.delete, "/api/projects/\(project.id)")
        #expect(deleted.status == .ok || deleted.status == .noContent)
        lastDeleted = project.id
      }
      let trash = try await client.send(.get, "/api/trash").json([[String: String]].self)
      // One live project and the trash share the session's 10.
      #expect(trash.count == 9)
      #expect(trash.first?["id"] == lastDeleted?.rawValue)
      #expect(trash.first?["name"] == "cycle 39")
      let session = server.projectsDirectory.appendingPathComponent("local/.trash")
      #expect(try FileManager.default.contentsOfDirectory(atPath: session.path).count == 9)
      // The newest is still restorable, and the live project untouched.
      let restored = try await client.send(.post, "/api/trash/\(lastDeleted!)/restore")
      #expect(restored.status == .ok, "\(restored.text)")
      #expect(try await client.readFile(kept.id, "env.py").contains("make_env"))
    }
  }

  @Test("Cookieless clients get a bounded number of sessions per address, then a 429")
  func newSessionsPerAddress() async throws {
    var server = try TestServer(multiUser: true)
    server.configuration.newSessionsPerAddress = 5
    let projects = server.projectsDirectory
    try await server.test(.live) { client in
      var statuses: [HTTPResponse.Status] = []
      var refusal: TestResponse?
      var cookie: String?
      for _ in 0..<8 {
        let response = try await client.send(
          .post, "/api/projects", json: ["name": "flood", "template": "empty"])
        statuses.append(response.status)
        if response.status == .tooManyRequests { refusal = response }
        if cookie == nil, let header = setCookie(response, named: "tau_sid") {
          cookie = cookieValue(header)
        }
      }
      #expect(statuses.prefix(5).allSatisfy { $0 == .ok }, "\(statuses)")
      #expect(statuses.dropFirst(5).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
      let answer = try #require(refusal)
      #expect(answer.text.contains("too many new sessions from your address"), "\(answer.text)")
      #expect(answer.headers[.retryAfter].flatMap(Int.init).map { $0 > 0 } == true)
      let sessions = try FileManager.default.contentsOfDirectory(atPath: projects.path)
      #expect(sessions.count == 5)
      // A client that keeps its cookie is not affected.
      let known = try await client.send(
        .get, "/api/projects", headers: [.cookie: "tau_sid=\(try #require(cookie))"])
      #expect(known.status == .ok)
      // Health probes need no session and mint none.
      let health = try await client.send(.get, "/healthz")
      #expect(health.status == .ok && setCookie(health, named: "tau_sid") == nil)
    }
  }

  @Test("The server's disk allowance: writes past it get a 507 that names it, for everyone")
  func diskAllowance() async throws {
    var limits = ProjectLimits()
    limits.maxServerBytes = 256 * 1024
    try await TestServer(limits: limits).test { client in
      let project = try await client.createProject(template: "empty")
      let chunk = String(repeating: "x", count: 60 * 1024)
      var refused: TestResponse?
      for index in 0..<10 {
        let response = try await client.send(
          .put, "/api/projects/\(project.id)/file",
          json: ["path": "data/\(index).txt", "content": chunk])
        if response.status != .ok {
          refused = response
          break
        }
      }
      let answer = try #require(refused, "the allowance never refused a write")
      #expect(answer.status.code == 507, "\(answer.status)")
      #expect(answer.text.contains("of their 256 KiB allowance"), "\(answer.text)")
      let create = try await client.send(
        .post, "/api/projects", json: ["name": "more", "template": "empty"])
      #expect(create.status.code == 507 || create.status == .ok)
      // What was saved is still there.
      #expect(try await client.readFile(project.id, "data/0.txt") == chunk)
    }
  }

  @Test("A nearly full disk refuses writes with a 507 rather than failing half-way")
  func minimumFreeDisk() async throws {
    var limits = ProjectLimits()
    limits.minimumFreeBytes = Int.max / 2
    try await TestServer(limits: limits).test { client in
      let response = try await client.send(
        .post, "/api/projects", json: ["name": "any", "template": "empty"])
      #expect(response.status.code == 507, "\(response.status)")
      #expect(response.text.contains("the server's disk is nearly full"), "\(response.text)")
    }
  }
}
