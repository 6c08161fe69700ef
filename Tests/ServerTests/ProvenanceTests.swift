import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// Where each version came from: a change applied from a proposal names its provider,
/// model and check in the file history.
@Suite("Provenance in the file history")
struct ProvenanceTests {
  @Test("An applied proposal is recorded with provider, model and check; a restore says so")
  func applied() async throws {
    try await TestServer().test { client in
      let project = try await client.createProject()
      let original = try await client.readFile(project.id, "env.py")
      let applied = try await client.send(
        .put, "/api/projects/\(project.id)/file",
        json: [
          "path": "env.py", "content": original + "\n# tuned\n",
          "source": [
            "kind": "assistant", "provider": "openai", "model": "gpt-5.4-mini", "check_ok": true,
          ],
        ])
      #expect(applied.status == .ok, "\(applied.text)")
      let history = try await client.send(.get, "/api/projects/\(project.id)/history?path=env.py")
      let versions = try #require(history.object as? [[String: Any]])
      let replaced = try #require(versions.first?["replaced_by"] as? [String: Any])
      #expect(replaced["kind"] as? String == "assistant")
      #expect(replaced["provider"] as? String == "openai")
      #expect(replaced["model"] as? String == "gpt-5.4-mini")
      #expect(replaced["check_ok"] as? Bool == true)

      // Undo: the restore is itself a change, recorded as one.
      let version = try #require(versions.first?["version"] as? String)
      let restore = try await client.send(
        .post, "/api/projects/\(project.id)/history/restore",
        json: ["path": "env.py", "version": version])
      #expect(restore.status == .ok)
      #expect(try await client.readFile(project.id, "env.py") == original)
      let after = try #require(
        try await client.send(.get, "/api/projects/\(project.id)/history?path=env.py").object
          as? [[String: Any]])
      #expect((after.first?["replaced_by"] as? [String: Any])?["kind"] as? String == "restore")

      // A source that is not plain text is refused, naming the field.
      let bad = try await client.send(
        .put, "/api/projects/\(project.id)/file",
        json: ["path": "env.py", "content": "x", "source": ["kind": "a\nb"]])
      #expect(bad.status == .badRequest)
      #expect(bad.detail?.contains("source.kind") == true, "\(bad.text)")
    }
  }
}
