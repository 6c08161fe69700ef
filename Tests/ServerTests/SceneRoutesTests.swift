import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing
import Workers

/// The browser viewer's scene document and the model inspector's tree, served by the routes
/// of `SceneRoutes` from real tau workers, and checked against MuJoCo's Python bindings.
@Suite("Scene and model routes", .serialized)
struct SceneRoutesTests {
  @Test(
    "The cartpole's scene: every geom in MuJoCo's colour, the cart and pole moving, a 304 for its ETag"
  )
  func cartpoleScene() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let project = try await client.createProject()
      let response = try await client.send(.get, "/api/projects/\(project.id)/scene")
      #expect(response.status == .ok, "\(response.text.prefix(300))")
      #expect(response.headers[.contentType] == "application/vnd.tau.scene")
      #expect(response.headers[.cacheControl] == "no-cache")
      let tag = try #require(response.headers[.eTag])
      let document = try SceneDocumentReader(Data(buffer: response.body))
      let epoch = try #require(document.header["epoch"] as? String)
      #expect(tag == "\"\(epoch)\"")

      let file = server.projectsDirectory.appendingPathComponent("local/\(project.id)/scene.xml")
      let reference = try #require(try await MuJoCoReference.of([file.path]).first)
      let geoms = document.list("geoms")
      #expect(geoms.count == reference.ngeom)
      for (index, geom) in geoms.enumerated() {
        let rgba = geom["rgba"] as? [Double] ?? []
        #expect(rgba.count == 4)
        #expect(zip(rgba, reference.rgba[index]).allSatisfy { abs($0 - $1) < 1e-6 })
      }
      let moving = document.list("bodies").map {
        "\($0["name"] ?? ""): \(String(describing: $0["moving"] as? Bool))"
      }
      #expect(moving == ["world: Optional(false)", "cart: Optional(true)", "pole: Optional(true)"])
      #expect(document.list("bodies").map { $0["moving"] as? Bool } == reference.moving)

      // The ETag comes back: 304 with no body, in each form a client may send it.
      for asked in [tag, "W/\(tag)", "\"other\", \(tag)", "*"] {
        let again = try await client.send(
          .get, "/api/projects/\(project.id)/scene", headers: [.ifNoneMatch: asked])
        #expect(again.status == .notModified, "\(asked)")
        #expect(again.headers[.eTag] == tag)
        #expect(again.body.readableBytes == 0)
      }
      let other = try await client.send(
        .get, "/api/projects/\(project.id)/scene", headers: [.ifNoneMatch: "\"other\""])
      #expect(other.status == .ok)

      // Asked by name, the same document; after an edit, another epoch.
      let named = try await client.send(.get, "/api/projects/\(project.id)/scene?xml=scene.xml")
      #expect(named.headers[.eTag] == tag)
      let scene = try await client.readFile(project.id, "scene.xml")
      try await client.writeFile(
        project.id, "scene.xml", scene.replacingOccurrences(of: "0.9 0.6 0.1 1", with: "1 0 0 1"))
      let edited = try await client.send(
        .get, "/api/projects/\(project.id)/scene", headers: [.ifNoneMatch: tag])
      #expect(edited.status == .ok)
      #expect(edited.headers[.eTag] != tag)
      let pole = try SceneDocumentReader(Data(buffer: edited.body)).list("geoms")
        .first { $0["name"] as? String == "pole" }
      #expect(pole?["rgba"] as? [Double] == [1, 0, 0, 1])
    }
  }

  @Test("An edited include is seen: the cache watches every file the model read")
  func editedInclude() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject(template: "empty")
      try await client.writeFile(
        project.id, "scene.xml",
        #"<mujoco><include file="parts/body.xml"/></mujoco>"#)
      let body =
        #"<mujoco><worldbody><geom name="ball" size=".1" rgba="0 1 0 1"/></worldbody></mujoco>"#
      try await client.writeFile(project.id, "parts/body.xml", body)
      let first = try await client.send(.get, "/api/projects/\(project.id)/scene")
      #expect(first.status == .ok, "\(first.text.prefix(300))")
      let tag = try #require(first.headers[.eTag])
      try await client.writeFile(
        project.id, "parts/body.xml", body.replacingOccurrences(of: "0 1 0 1", with: "0 0 1 1"))
      let second = try await client.send(
        .get, "/api/projects/\(project.id)/scene", headers: [.ifNoneMatch: tag])
      #expect(second.status == .ok)
      let ball = try SceneDocumentReader(Data(buffer: second.body)).list("geoms").first
      #expect(ball?["rgba"] as? [Double] == [0, 0, 1, 1])
    }
  }

  @Test("A recorded run's scene is the document of the model it ran")
  func runScene() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let snapshot = try await client.send(
        .post, "/api/projects/\(project.id)/snapshot", json: ["steps": 1])
      #expect(snapshot.status == .ok, "\(snapshot.text.prefix(300))")
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
      let recorded = try await client.send(.get, "/api/projects/\(project.id)/runs/\(run)/scene")
      #expect(recorded.status == .ok, "\(recorded.text.prefix(300))")
      let current = try await client.send(.get, "/api/projects/\(project.id)/scene")
      #expect(recorded.headers[.eTag] == current.headers[.eTag])
      let missing = try await client.send(.get, "/api/projects/\(project.id)/runs/nosuchrun/scene")
      #expect(missing.status == .notFound)
    }
  }

  @Test("Every Menagerie scene through a confined tau worker: whole, meshes once, PNG textures")
  func menagerieScenes() async throws {
    try await TestServer().testWithSimulation { _, services in
      let scenes = TestPaths.menagerieScenes
      #expect(scenes.count >= 5)
      // The counts from the worker's own tree (ModelWorkerTests checks them against Python).
      for scene in scenes {
        let folder = scene.deletingLastPathComponent()
        let source = ModelSource.file(path: scene.path, confinedTo: folder.path)
        let encoded = try await services.renderer.scene(source)
        let counts = try await services.renderer.inspect(source).counts
        let document = try SceneDocumentReader(encoded.data)
        let name = "\(folder.lastPathComponent)/\(scene.lastPathComponent)"
        #expect(document.header["epoch"] as? String == encoded.epoch)
        #expect(encoded.files.contains { $0.hasSuffix(".stl") || $0.hasSuffix(".obj") }, "\(name)")
        let meshes = document.list("meshes")
        #expect(meshes.count == counts.nmesh && counts.nmesh > 0, "\(name)")
        for mesh in meshes {
          let vertices = try #require(mesh["vertex_count"] as? Int)
          #expect(try document.floats(mesh["positions"]).count == 3 * vertices)
          let indices = try document.indices(mesh["indices"])
          #expect(!indices.isEmpty && indices.allSatisfy { Int($0) < vertices }, "\(name)")
        }
        #expect(document.list("geoms").count == counts.ngeom, "\(name)")
        for texture in document.list("textures") {
          let png = try document.bytes(texture["png"])
          #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name)")
        }
      }
    }
  }

  @Test("The Panda's model tree: joint1...joint7 and eight actuators with their control ranges")
  func pandaTree() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let project = try await client.createProject(name: "panda", template: "empty")
      _ = try await MenagerieImportTests.importModel(client, "franka_emika_panda", into: project.id)
      let response = try await client.send(
        .get, "/api/projects/\(project.id)/model?xml=scene.xml")
      #expect(response.status == .ok, "\(response.text.prefix(300))")
      let tree = try response.json(ModelTree.self)
      let file = server.projectsDirectory.appendingPathComponent("local/\(project.id)/scene.xml")
      let reference = try #require(try await MuJoCoReference.of([file.path]).first)

      let joints = tree.bodies.flatMap(\.joints).map(\.name)
      #expect((1...7).allSatisfy { joints.contains("joint\($0)") }, "\(joints)")
      #expect(tree.actuators.count == 8)
      #expect(tree.actuators.map(\.name) == reference.actuators.map(\.name))
      for (ours, theirs) in zip(tree.actuators, reference.actuators) {
        #expect(ours.ctrlrange != nil)
        #expect(ours.ctrlrange == theirs.ctrlrange, "\(ours.name)")
      }
      #expect(tree.counts.nu == 8 && tree.counts.nbody == reference.nbody)
      // Every body but the world names its parent, which lists it among its children.
      for body in tree.bodies.dropFirst() {
        #expect(tree.bodies[body.parent].children.contains(body.id))
      }
      // The raw JSON says null for an unlimited range, and spells its keys as documented.
      let raw = try #require(response.object as? [String: Any])
      let actuator = try #require((raw["actuators"] as? [[String: Any]])?.first)
      #expect(actuator["target_type"] as? String == "joint")
      #expect(
        Set(["counts", "bodies", "sensors", "cameras", "lights", "keyframes"])
          .isSubset(of: Set(raw.keys)))

      // Its scene too, with its meshes once each.
      let scene = try await client.send(.get, "/api/projects/\(project.id)/scene")
      #expect(scene.status == .ok)
      let document = try SceneDocumentReader(Data(buffer: scene.body))
      #expect(document.list("meshes").count == reference.nmesh)
    }
  }

  @Test("Bad paths are 400s, unknown projects and files 404s, compile errors 400s with file:line")
  func badInput() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let project = try await client.createProject()
      for route in ["scene", "model"] {
        for bad in ["../x", "/etc/passwd", ".tau/runs", "a/../../b.xml"] {
          let escaped = bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? bad
          let response = try await client.send(
            .get, "/api/projects/\(project.id)/\(route)?xml=\(escaped)")
          #expect(response.status == .badRequest, "\(route) \(bad): \(response.text)")
        }
        let missing = try await client.send(
          .get, "/api/projects/\(project.id)/\(route)?xml=missing.xml")
        #expect(missing.status == .notFound)
        let unknown = try await client.send(.get, "/api/projects/0123456789/\(route)")
        #expect(unknown.status == .notFound, "\(unknown.text)")
        let malformed = try await client.send(.get, "/api/projects/NOT-AN-ID/\(route)")
        #expect(malformed.status == .badRequest || malformed.status == .notFound)
      }

      try await client.writeFile(
        project.id, "scene.xml", "<mujoco>\n<worldbody>\n<oops/>\n</worldbody>\n</mujoco>")
      for route in ["scene", "model"] {
        let broken = try await client.send(.get, "/api/projects/\(project.id)/\(route)")
        #expect(broken.status == .badRequest)
        let detail = try #require(broken.detail)
        #expect(detail.contains("scene.xml:3"), "\(detail)")
        #expect(!detail.contains(server.projectsDirectory.path), "\(detail)")
      }

      // No scene.xml: the first top-level XML file is the scene; none at all is a 404.
      let bare = try await client.createProject(template: "empty")
      try await client.writeFile(bare.id, "b.xml", "<mujoco><worldbody/></mujoco>")
      try await client.writeFile(
        bare.id, "a.xml", #"<mujoco><worldbody><geom name="only" size=".1"/></worldbody></mujoco>"#)
      // The API deletes no single file: take the template's scene away on disk.
      let folder = server.projectsDirectory.appendingPathComponent("local/\(bare.id)")
      try FileManager.default.removeItem(at: folder.appendingPathComponent("scene.xml"))
      let first = try await client.send(.get, "/api/projects/\(bare.id)/scene")
      #expect(first.status == .ok, "\(first.text)")
      let geoms = try SceneDocumentReader(Data(buffer: first.body)).list("geoms")
      #expect(geoms.map { $0["name"] as? String } == ["only"])
      for path in ["a.xml", "b.xml"] {
        try FileManager.default.removeItem(at: folder.appendingPathComponent(path))
      }
      let none = try await client.send(.get, "/api/projects/\(bare.id)/scene")
      #expect(none.status == .notFound, "\(none.text)")
    }
  }
}
