import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

@Suite("Files API")
struct FileRoutesTests {
  @Test("a written file reads back and shows in the project's files")
  func writeAndRead() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      try await client.writeFile(info.id, "lib/helper.py", "X = 1\n")
      let response = try await client.send(.get, "/api/projects/\(info.id)/file?path=lib/helper.py")
      #expect(response.status == .ok)
      let body = response.object as? [String: String]
      #expect(body == ["path": "lib/helper.py", "content": "X = 1\n"])
      let files = try await client.send(.get, "/api/projects/\(info.id)").json(ProjectInfo.self)
        .files
      #expect(files == ["env.py", "lib/helper.py", "scene.xml"])
    }
  }

  @Test("a missing file is a 404, a missing path parameter a 400")
  func missing() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let response = try await client.send(.get, "/api/projects/\(info.id)/file?path=nope.py")
      #expect(response.status == .notFound)
      #expect(response.detail?.contains("not found") == true)
      #expect(try await client.send(.get, "/api/projects/\(info.id)/file").status == .badRequest)
    }
  }

  static let pathAttacks = [
    "../escape.py", "../../../../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "a/", "",
    "./env.py", "a\\..\\b", "..", ".", ".name", ".tau/history/env.py.v/1", "__pycache__/x.pyc",
    "sub/.hidden", "nul\u{0}byte",
  ]

  @Test("every path attack is refused with a 400, reading and writing")
  func pathAttacks() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      for path in Self.pathAttacks {
        let write = try await client.send(
          .put, "/api/projects/\(info.id)/file", json: ["path": path, "content": "x"])
        #expect(write.status == .badRequest, "PUT \(path.debugDescription): \(write.status)")
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
        let read = try await client.send(.get, "/api/projects/\(info.id)/file?path=\(encoded)")
        #expect(read.status == .badRequest, "GET \(path.debugDescription): \(read.status)")
      }
    }
  }

  @Test("a symlink planted on disk is never followed, to a file or a folder")
  func plantedSymlink() async throws {
    let server = try TestServer()
    let outside = try makeTemporaryFolder()
    try "secret".write(
      to: outside.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    try await server.test { client in
      let info = try await client.createProject()
      let project = server.projectsDirectory.appendingPathComponent("local/\(info.id)")
      try FileManager.default.createSymbolicLink(
        atPath: project.appendingPathComponent("linkdir").path, withDestinationPath: outside.path)
      try FileManager.default.createSymbolicLink(
        atPath: project.appendingPathComponent("link.txt").path,
        withDestinationPath: outside.appendingPathComponent("secret.txt").path)

      for path in ["linkdir/secret.txt", "link.txt"] {
        let read = try await client.send(.get, "/api/projects/\(info.id)/file?path=\(path)")
        #expect(read.status == .badRequest, "read \(path)")
        #expect(!read.text.contains("secret\""))
        let write = try await client.send(
          .put, "/api/projects/\(info.id)/file", json: ["path": path, "content": "pwned"])
        #expect(write.status == .badRequest, "write \(path)")
      }
      let write = try await client.send(
        .put, "/api/projects/\(info.id)/file", json: ["path": "linkdir/new.txt", "content": "x"])
      #expect(write.status == .badRequest)
      #expect(
        try String(contentsOf: outside.appendingPathComponent("secret.txt"), encoding: .utf8)
          == "secret")
      #expect(
        !FileManager.default.fileExists(atPath: outside.appendingPathComponent("new.txt").path))
      let files = try await client.send(.get, "/api/projects/\(info.id)").json(ProjectInfo.self)
        .files
      #expect(files == ["env.py", "scene.xml"])
    }
  }

  @Test("a project folder replaced by a symlink is not followed")
  func projectSymlink() async throws {
    let server = try TestServer()
    let outside = try makeTemporaryFolder()
    try "secret".write(
      to: outside.appendingPathComponent("env.py"), atomically: true, encoding: .utf8)
    try await server.test { client in
      let session = server.projectsDirectory.appendingPathComponent("local")
      try FileManager.default.createDirectory(at: session, withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: session.appendingPathComponent("abcdef0123").path, withDestinationPath: outside.path
      )
      let read = try await client.send(.get, "/api/projects/abcdef0123/file?path=env.py")
      #expect(read.status == .notFound)
      #expect(try await client.send(.get, "/api/projects").text == "[]")
    }
  }

  @Test("what a project's own code plants on disk cannot break listing, saving or download")
  func plantedByUserCode() async throws {
    var limits = ProjectLimits()
    limits.maxProjectBytes = 64 * 1024
    let server = try TestServer(limits: limits)
    try await server.test { client in
      let info = try await client.createProject()
      let project = server.projectsDirectory.appendingPathComponent("local/\(info.id)")
      // Folders nested far deeper than any project needs, with a file at the bottom.
      var deep = project
      for _ in 0..<200 { deep = deep.appendingPathComponent("d") }
      try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
      try "x".write(
        to: deep.appendingPathComponent("bottom.txt"), atomically: true, encoding: .utf8)
      let listed = try await client.send(.get, "/api/projects/\(info.id)")
      #expect(listed.status == .ok)
      let files = try listed.json(ProjectInfo.self).files
      #expect(files.contains("env.py") && !files.contains { $0.hasSuffix("bottom.txt") })

      // A history version numbered near Int.max: the next save still gets a version.
      let history = project.appendingPathComponent(".tau/history/env.py.v")
      try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
      try "old".write(
        to: history.appendingPathComponent(String(Int.max)), atomically: true, encoding: .utf8)
      try await client.writeFile(info.id, "env.py", "x = 2\n")
      try await client.writeFile(info.id, "env.py", "x = 3\n")
      let versions = try await client.send(.get, "/api/projects/\(info.id)/history?path=env.py")
      #expect(versions.status == .ok, "\(versions.text)")

      // A file grown past the project limit by the project's code: the download is refused.
      try Data(count: 100 * 1024).write(to: project.appendingPathComponent("big.bin"))
      let zip = try await client.send(.get, "/api/projects/\(info.id)/zip")
      #expect(zip.status == .contentTooLarge, "\(zip.text)")
      #expect(zip.detail?.contains("download") == true)
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("a binary file reads as a 415, not a 500")
  func binaryFile() async throws {
    let server = try TestServer()
    try await server.test { client in
      let info = try await client.createProject()
      let url = server.projectsDirectory.appendingPathComponent("local/\(info.id)/mesh.stl")
      try Data([0x00, 0xFF, 0xFE, 0x00, 0x80]).write(to: url)
      let response = try await client.send(.get, "/api/projects/\(info.id)/file?path=mesh.stl")
      #expect(response.status == .unsupportedMediaType)
      #expect(response.detail?.contains("not a UTF-8 text file") == true)
    }
  }

  @Test("hidden files, __pycache__ and the history are not listed")
  func hiddenNotListed() async throws {
    let server = try TestServer()
    try await server.test { client in
      let info = try await client.createProject()
      try await client.writeFile(info.id, "env.py", "changed\n")
      let project = server.projectsDirectory.appendingPathComponent("local/\(info.id)")
      try FileManager.default.createDirectory(
        at: project.appendingPathComponent("__pycache__"), withIntermediateDirectories: true)
      try Data("x".utf8).write(to: project.appendingPathComponent("__pycache__/env.pyc"))
      try Data("x".utf8).write(to: project.appendingPathComponent(".secret"))
      let files = try await client.send(.get, "/api/projects/\(info.id)").json(ProjectInfo.self)
        .files
      #expect(files == ["env.py", "scene.xml"])
    }
  }

  @Test("a write over the file limit is a 413 naming the limit")
  func fileLimit() async throws {
    var limits = ProjectLimits()
    limits.maxFileBytes = 1024
    try await TestServer(limits: limits).test { client in
      let info = try await client.createProject()
      let big = String(repeating: "a", count: 1500)
      let response = try await client.send(
        .put, "/api/projects/\(info.id)/file", json: ["path": "big.txt", "content": big])
      #expect(response.status == .contentTooLarge)
      #expect(response.detail?.contains("1 KiB") == true)
    }
  }

  @Test("a 20 MB body is a 413 and the server stays healthy")
  func hugeBody() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024)
      let response = try await client.execute(
        uri: "/api/projects/\(info.id)/file", method: .put, body: huge)
      #expect(response.status == .contentTooLarge)
      #expect(response.detail?.contains("MiB") == true)
      #expect(try await client.send(.get, "/healthz").status == .ok)
    }
  }

  @Test("project size and file count limits are 413s")
  func projectLimits() async throws {
    var limits = ProjectLimits()
    limits.maxFilesPerProject = 3
    limits.maxProjectBytes = 8 * 1024
    try await TestServer(limits: limits).test { client in
      let info = try await client.createProject()
      try await client.writeFile(info.id, "a.txt", "a")
      let fourth = try await client.send(
        .put, "/api/projects/\(info.id)/file", json: ["path": "b.txt", "content": "b"])
      #expect(fourth.status == .contentTooLarge)
      #expect(fourth.detail?.contains("3 files") == true)
      let large = try await client.send(
        .put, "/api/projects/\(info.id)/file",
        json: ["path": "a.txt", "content": String(repeating: "x", count: 8000)])
      #expect(large.status == .contentTooLarge)
      #expect(large.detail?.contains("project size") == true)
    }
  }
}
