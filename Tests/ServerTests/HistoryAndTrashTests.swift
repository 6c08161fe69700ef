import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

@Suite("History and trash")
struct HistoryAndTrashTests {
  @Test(
    "each overwrite keeps the previous content; a version can be restored, keeping the current one")
  func restoreVersion() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let original = try await client.readFile(info.id, "env.py")
      try await client.writeFile(info.id, "env.py", "v2\n")
      try await client.writeFile(info.id, "env.py", "v3\n")

      let history = try await client.send(.get, "/api/projects/\(info.id)/history?path=env.py")
      #expect(history.status == .ok)
      let versions = try history.json([FileVersion].self)
      #expect(versions.map(\.version) == ["2", "1"])
      #expect(versions.map(\.size) == [3, original.utf8.count])
      let keys = (history.object as? [[String: Any]])?.first.map { Set($0.keys) }
      #expect(keys == ["version", "time", "size"])

      let restore = try await client.send(
        .post, "/api/projects/\(info.id)/history/restore", json: ["path": "env.py", "version": "1"])
      #expect(restore.status == .ok)
      #expect(try await client.readFile(info.id, "env.py") == original)

      let after = try await client.send(.get, "/api/projects/\(info.id)/history?path=env.py")
        .json([FileVersion].self)
      #expect(after.map(\.version) == ["3", "2", "1"])
      // Undo the restore: version 3 holds "v3".
      let undo = try await client.send(
        .post, "/api/projects/\(info.id)/history/restore", json: ["path": "env.py", "version": 3])
      #expect(undo.status == .ok)
      #expect(try await client.readFile(info.id, "env.py") == "v3\n")
    }
  }

  @Test("an unknown version is a 404; a file never overwritten has an empty history")
  func unknownVersion() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let none = try await client.send(.get, "/api/projects/\(info.id)/history?path=scene.xml")
      #expect(none.text == "[]")
      for version in ["9", "0", "-1", "../1", "abc"] {
        let response = try await client.send(
          .post, "/api/projects/\(info.id)/history/restore",
          json: ["path": "scene.xml", "version": version])
        #expect(response.status == .notFound, "version \(version)")
      }
      let bad = try await client.send(.get, "/api/projects/\(info.id)/history?path=../x")
      #expect(bad.status == .badRequest)
    }
  }

  @Test("a deleted project goes to the trash and comes back whole")
  func trashRestore() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject(name: "keep me")
      try await client.writeFile(info.id, "notes.md", "hello\n")
      let deleted = try await client.send(.delete, "/api/projects/\(info.id)")
      #expect(deleted.status == .ok)
      #expect(deleted.text == #"{"ok":true}"#)
      #expect(try await client.send(.get, "/api/projects/\(info.id)").status == .notFound)
      #expect(try await client.send(.get, "/api/projects").text == "[]")

      let trash = try await client.send(.get, "/api/trash").json([TrashEntry].self)
      #expect(trash.map(\.id) == [info.id])
      #expect(trash.first?.name == "keep me")

      let restored = try await client.send(.post, "/api/trash/\(info.id)/restore")
      #expect(restored.status == .ok)
      #expect(try restored.json(ProjectInfo.self).files == ["env.py", "notes.md", "scene.xml"])
      #expect(try await client.readFile(info.id, "notes.md") == "hello\n")
      #expect(try await client.send(.get, "/api/trash").text == "[]")
      #expect(try await client.send(.post, "/api/trash/\(info.id)/restore").status == .notFound)
    }
  }

  @Test("trash entries older than the retention are purged")
  func trashPurge() async throws {
    var limits = ProjectLimits()
    limits.trashRetention = 0
    try await TestServer(limits: limits).test { client in
      let info = try await client.createProject()
      #expect(try await client.send(.delete, "/api/projects/\(info.id)").status == .ok)
      try await Task.sleep(for: .milliseconds(20))
      #expect(try await client.send(.get, "/api/trash").text == "[]")
    }
  }
}
