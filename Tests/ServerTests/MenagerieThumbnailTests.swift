import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The catalog's thumbnails: a model folder's own picture, else a render of its default scene.
@Suite("Menagerie thumbnails")
struct MenagerieThumbnailTests {
  @Test("Offline models have a thumbnail: the folder's picture, else a render of the scene")
  func thumbnails() async throws {
    // A checkout of two robots: the Panda as Menagerie has it, the 2F-85 without its picture.
    let root = try makeTemporaryFolder()
    let fm = FileManager.default
    try fm.copyItem(
      at: TestPaths.menagerie.appendingPathComponent("franka_emika_panda"),
      to: root.appendingPathComponent("franka_emika_panda"))
    let gripper = root.appendingPathComponent("robotiq_2f85")
    try fm.copyItem(at: TestPaths.menagerie.appendingPathComponent("robotiq_2f85"), to: gripper)
    try fm.removeItem(at: gripper.appendingPathComponent("2f85.png"))
    let cache = try makeTemporaryFolder()
    let settings = [
      "MENAGERIE_ROOT": root.path, "MENAGERIE_CACHE_DIR": cache.path, "HOME": cache.path,
      "MENAGERIE_BASE_URL": "http://127.0.0.1:9/unreachable",
    ]
    try await TestServer().testWithSimulation(menagerie: settings) { client, _ in
      let catalog = try #require(
        try await client.send(.get, "/api/menagerie/catalog").object as? [[String: Any]])
      let withThumbnails = catalog.filter { $0["thumbnail_url"] is String }
        .compactMap { $0["name"] as? String }
      #expect(withThumbnails == ["franka_emika_panda", "robotiq_2f85"])
      // Where a model lives on the server's disk is not the client's business.
      #expect(catalog.allSatisfy { $0["folder"] == nil && $0["picture"] == nil })

      let panda = try await client.send(.get, "/api/menagerie/models/franka_emika_panda/thumbnail")
      #expect(panda.status == .ok)
      #expect(panda.headers[.contentType] == "image/png")
      let picture = try Data(
        contentsOf: TestPaths.menagerie.appendingPathComponent("franka_emika_panda/panda.png"))
      #expect(Data(buffer: panda.body) == picture)

      let rendered = try await SlowClient(port: try #require(client.port)).send(
        .get, "/api/menagerie/models/robotiq_2f85/thumbnail")
      #expect(rendered.status == .ok, "\(rendered.text)")
      let png = rendered.data
      #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
      // IHDR: width and height, big-endian, at bytes 16..<24.
      let size =
        png.count >= 24
        ? [png[16..<20], png[20..<24]].map {
          $0.reduce(0) { $0 << 8 | Int($1) }
        } : []
      #expect(size == [320, 240])

      let offline = try await client.send(.get, "/api/menagerie/models/unitree_go2/thumbnail")
      #expect(offline.status == .notFound)
      #expect(offline.text.contains("prefetch"))
      let bad = try await client.send(.get, "/api/menagerie/models/..%2Fx/thumbnail")
      #expect(bad.status == .badRequest || bad.status == .notFound)
    }
  }
}
