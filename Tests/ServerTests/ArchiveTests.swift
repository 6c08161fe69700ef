import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

@testable import Server

@Suite("Zip export and import")
struct ArchiveTests {
  /// Zips made by `Fixtures/make_zips.py` (Python's zipfile writes any entry name we ask for).
  static func maliciousZips() async throws -> URL {
    let folder = try makeTemporaryFolder()
    let result = try await ProcessRunner.run(
      packageRoot.appendingPathComponent(".venv/bin/python").path,
      [
        packageRoot.appendingPathComponent("Tests/ServerTests/Fixtures/make_zips.py").path,
        folder.path,
      ])
    guard result.status == 0 else { throw TestFailure("make_zips.py failed: \(result.stderr)") }
    return folder
  }

  @Test("a project downloads as a zip and uploads back as a new project")
  func roundTrip() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject(name: "round trip")
      try await client.writeFile(info.id, "lib/util.py", "Y = 2\n")
      let zip = try await client.send(.get, "/api/projects/\(info.id)/zip")
      #expect(zip.status == .ok)
      #expect(zip.headers[.contentType] == "application/zip")
      #expect(zip.headers[.contentDisposition]?.contains("round_trip.zip") == true)
      let imported = try await client.execute(
        uri: "/api/projects/import/zip?name=copy", method: .post, body: zip.body)
      #expect(imported.status == .ok, "\(imported.text)")
      let copy = try imported.json(ProjectInfo.self)
      #expect(copy.name == "copy")
      #expect(copy.id != info.id)
      #expect(copy.files == ["env.py", "lib/util.py", "scene.xml"])
      #expect(try await client.readFile(copy.id, "lib/util.py") == "Y = 2\n")
      #expect(
        try await client.readFile(copy.id, "env.py")
          == (try await client.readFile(info.id, "env.py")))
    }
  }

  @Test(
    "archives that escape, link, bomb, forge ZIP64 records or are not zips are refused and leave nothing behind"
  )
  func malicious() async throws {
    let zips = try await Self.maliciousZips()
    var limits = ProjectLimits()
    limits.maxFilesPerProject = 50
    let server = try TestServer(limits: limits)
    try await server.test { client in
      let cases: [(String, HTTPResponse.Status)] = [
        ("dotdot.zip", .badRequest), ("absolute.zip", .badRequest), ("backslash.zip", .badRequest),
        ("symlink.zip", .badRequest), ("bomb.zip", .contentTooLarge),
        ("many.zip", .contentTooLarge), ("notzip.zip", .badRequest), ("zip64.zip", .badRequest),
        ("zip64_offset.zip", .badRequest), ("far_pointer.zip", .badRequest),
      ]
      for (name, status) in cases {
        let data = try Data(contentsOf: zips.appendingPathComponent(name))
        let response = try await client.execute(
          uri: "/api/projects/import/zip", method: .post, body: ByteBuffer(bytes: data))
        #expect(response.status == status, "\(name): \(response.status) \(response.text)")
        #expect(response.detail != nil)
      }
      #expect(try await client.send(.get, "/api/projects").text == "[]")
      let session = server.projectsDirectory.appendingPathComponent("local")
      let left = (try? FileManager.default.contentsOfDirectory(atPath: session.path)) ?? []
      #expect(left.filter { !$0.hasPrefix(".trash") }.isEmpty, "left behind: \(left)")
      #expect(
        !FileManager.default.fileExists(
          atPath: server.projectsDirectory.appendingPathComponent("evil.txt").path))

      // A GitHub-style archive: one wrapping folder, hidden entries skipped.
      let wrapped = try Data(contentsOf: zips.appendingPathComponent("wrapped.zip"))
      let response = try await client.execute(
        uri: "/api/projects/import/zip?name=wrapped", method: .post,
        body: ByteBuffer(bytes: wrapped))
      #expect(response.status == .ok)
      #expect(try response.json(ProjectInfo.self).files == ["env.py", "meshes/a.stl", "scene.xml"])
    }
  }

  @Test("one zip transfer more than the slots allow gets a 503 with Retry-After, then goes")
  func transferSlots() async throws {
    let slots = TransferSlots(capacity: 1)
    try await slots.run {
      let error = await #expect(throws: HTTPError.self) { try await slots.run {} }
      #expect(error?.status == .serviceUnavailable)
      #expect(error?.headers[.retryAfter] == "2")
      #expect(error?.body?.contains("zip transfers") == true)
    }
    #expect(try await slots.run { 42 } == 42)
  }
}
