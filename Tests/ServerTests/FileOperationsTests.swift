import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

/// Deleting, renaming and uploading files from the IDE's file tree.
@Suite("File operations")
struct FileOperationsTests {
  static func files(_ client: some TestClientProtocol, _ id: ProjectID) async throws -> [String] {
    try await client.send(.get, "/api/projects/\(id)").json(ProjectInfo.self).files
  }

  static func upload(
    _ client: some TestClientProtocol, _ id: ProjectID, _ path: String, _ bytes: [UInt8],
    type: String = "application/octet-stream"
  ) async throws -> TestResponse {
    try await client.execute(
      uri: "/api/projects/\(id)/upload?path=\(path)", method: .put,
      headers: [.contentType: type], body: ByteBuffer(bytes: bytes))
  }

  @Test("a deleted file is gone from the project and its content can be restored")
  func deleteKeepsHistory() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      try await client.writeFile(info.id, "notes.txt", "keep me\n")
      let deleted = try await client.send(.delete, "/api/projects/\(info.id)/file?path=notes.txt")
      #expect(deleted.status == .ok, "\(deleted.text)")
      #expect(try await Self.files(client, info.id) == ["env.py", "scene.xml"])
      let versions = try await client.send(
        .get, "/api/projects/\(info.id)/history?path=notes.txt"
      ).json([FileVersion].self)
      #expect(versions.count == 1)
      let restore = try await client.send(
        .post, "/api/projects/\(info.id)/history/restore",
        json: ["path": "notes.txt", "version": versions[0].version])
      #expect(restore.status == .ok, "\(restore.text)")
      #expect(try await client.readFile(info.id, "notes.txt") == "keep me\n")

      let missing = try await client.send(.delete, "/api/projects/\(info.id)/file?path=nope.py")
      #expect(missing.status == .notFound)
      #expect(missing.detail?.contains("nope.py") == true)
      for path in ["../escape.py", ".tau/chat.json", "%2Fetc%2Fpasswd"] {
        let attack = try await client.send(.delete, "/api/projects/\(info.id)/file?path=\(path)")
        #expect(attack.status == .badRequest, "\(path): \(attack.status)")
      }
    }
  }

  @Test("a rename moves the file, into a new folder too, and never replaces another")
  func rename() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let path = "/api/projects/\(info.id)/file/rename"
      let moved = try await client.send(
        .post, path, json: ["from": "env.py", "to": "agents/cartpole_env.py"])
      #expect(moved.status == .ok, "\(moved.text)")
      #expect(try await Self.files(client, info.id) == ["agents/cartpole_env.py", "scene.xml"])
      #expect(try await client.readFile(info.id, "agents/cartpole_env.py").contains("def "))

      let taken = try await client.send(
        .post, path, json: ["from": "agents/cartpole_env.py", "to": "scene.xml"])
      #expect(taken.status == .conflict)
      #expect(taken.detail?.contains("scene.xml already exists") == true)
      #expect(try await client.readFile(info.id, "scene.xml").contains("<mujoco"))

      let refusals: [([String: Any], HTTPResponse.Status, String)] = [
        (["from": "nope.py", "to": "b.py"], .notFound, "nope.py"),
        (["from": "scene.xml", "to": "../scene.xml"], .badRequest, "invalid path"),
        (["from": "scene.xml", "to": "scene.xml"], .badRequest, "already its name"),
        (["from": "scene.xml"], .badRequest, "to"),
      ]
      for (body, status, names) in refusals {
        let answer = try await client.send(.post, path, json: body)
        #expect(answer.status == status, "\(body): \(answer.status)")
        #expect(answer.detail?.contains(names) == true, "\(body): \(answer.text)")
      }
    }
  }

  @Test("a binary upload is stored byte for byte; a text file's old content goes to history")
  func upload() async throws {
    let server = try TestServer()
    try await server.test { client in
      let info = try await client.createProject()
      let mesh: [UInt8] = [0x73, 0x6F, 0x6C, 0x69, 0x64, 0x00, 0xFF, 0x80, 0x01, 0x02]
      let stored = try await Self.upload(client, info.id, "assets/part.stl", mesh)
      #expect(stored.status == .ok, "\(stored.text)")
      let files = try await Self.files(client, info.id)
      #expect(files.contains("assets/part.stl"))
      let onDisk = server.projectsDirectory.appendingPathComponent(
        "local/\(info.id)/assets/part.stl")
      #expect(try Data(contentsOf: onDisk) == Data(mesh))

      let text = try await Self.upload(client, info.id, "env.py", Array("X = 2\n".utf8))
      #expect(text.status == .ok)
      #expect(try await client.readFile(info.id, "env.py") == "X = 2\n")
      let versions = try await client.send(.get, "/api/projects/\(info.id)/history?path=env.py")
        .json([FileVersion].self)
      #expect(versions.count == 1)

      let form = try await Self.upload(client, info.id, "x.bin", [1, 2], type: "text/plain")
      #expect(form.status == .unsupportedMediaType)
      #expect(form.detail?.contains("application/octet-stream") == true)
      let escape = try await Self.upload(client, info.id, "../x.bin", [1, 2])
      #expect(escape.status == .badRequest)
    }
  }

  @Test("an upload over the file limit is a 413 naming the limit, and nothing is written")
  func uploadTooLarge() async throws {
    var limits = ProjectLimits()
    limits.maxFileBytes = 1024
    try await TestServer(limits: limits).test { client in
      let info = try await client.createProject()
      let big = try await Self.upload(
        client, info.id, "big.bin", [UInt8](repeating: 7, count: 4096))
      #expect(big.status == .contentTooLarge)
      #expect(big.detail?.contains("1 KiB") == true, "\(big.text)")
      #expect(!(try await Self.files(client, info.id)).contains("big.bin"))
    }
  }
}
