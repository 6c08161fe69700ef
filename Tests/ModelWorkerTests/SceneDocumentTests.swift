import CDigest
import Foundation
import MuJoCo
import Rendering
import TestSupport
import Testing
import Workers

@testable import ModelWorker

/// The scene document a tau worker makes for browser viewers, read back as a browser would
/// (`SceneDocumentReader`) and checked against MuJoCo's Python bindings.
@Suite("Scene documents", .serialized)
struct SceneDocumentTests {
  static func document(_ path: String) throws -> (EncodedScene, SceneDocumentReader) {
    let model = try Model(contentsOf: path)
    let scene = try SceneDocument.make(model, files: [path])
    return (scene, try SceneDocumentReader(scene.data))
  }

  /// A geom's colour as the document gives it.
  static func rgba(_ geom: [String: Any]) -> [Double] {
    (geom["rgba"] as? [Double]) ?? []
  }

  @Test("The cartpole: every geom with MuJoCo's colour, the cart and pole moving, the world not")
  func cartpole() async throws {
    let path = try TestPaths.cartpoleScene().path
    let (scene, document) = try Self.document(path)
    let reference = try #require(try await MuJoCoReference.of([path]).first)
    #expect(document.header["epoch"] as? String == scene.epoch)
    #expect(document.header["format"] as? String == "tau-scene")
    #expect(scene.epoch.count == 64)

    let geoms = document.list("geoms")
    #expect(geoms.count == reference.ngeom)
    for (index, geom) in geoms.enumerated() {
      #expect(geom["id"] as? Int == index)
      let ours = Self.rgba(geom)
      let theirs = reference.rgba[index]
      #expect(ours.count == 4)
      #expect(zip(ours, theirs).allSatisfy { abs($0 - $1) < 1e-6 }, "geom \(index)")
      #expect(geom["material"] as? Int == reference.material[index])
    }
    let floor = try #require(geoms.first { $0["name"] as? String == "floor" })
    #expect(floor["type"] as? String == "plane")
    #expect(floor["texture"] as? Int == 0)
    let pole = try #require(geoms.first { $0["name"] as? String == "pole" })
    #expect(pole["type"] as? String == "capsule")
    #expect(Self.rgba(pole).map { Float($0) } == [0.9, 0.6, 0.1, 1])

    let bodies = document.list("bodies")
    #expect(bodies.map { $0["moving"] as? Bool } == reference.moving.map { $0 })
    let moving = Dictionary(
      uniqueKeysWithValues: bodies.map { ($0["name"] as? String ?? "", $0["moving"] as? Bool) })
    #expect(moving == ["world": false, "cart": true, "pole": true])
    #expect(bodies.first?["parent"] as? Int == -1)

    // The checker texture is a valid PNG of its stored size.
    let texture = try #require(document.list("textures").first)
    #expect(texture["type"] as? String == "2d")
    let png = try document.bytes(texture["png"])
    let decoded = try ImageDecoder.decode(png)
    #expect(decoded.width == 512 && decoded.height == 512)

    let lights = document.list("lights")
    #expect(lights.count == 1)
    #expect(lights.first?["moving"] as? Bool == false)
    #expect(lights.first?["directional"] as? Bool == false)
    let visual = try #require(document.header["visual"] as? [String: Any])
    let global = try #require(visual["global"] as? [String: Any])
    #expect(global["fovy"] as? Double == 45)
    let statistic = try #require(document.header["statistic"] as? [String: Any])
    #expect((statistic["extent"] as? Double ?? 0) > 0)
  }

  @Test("The same model compiled twice has the same epoch; an edited one another")
  func epochs() throws {
    let path = try TestPaths.cartpoleScene().path
    let first = try Self.document(path).0
    let second = try Self.document(path).0
    #expect(first.epoch == second.epoch)
    #expect(first.data == second.data)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    try text.replacingOccurrences(of: "0.9 0.6 0.1 1", with: "0.9 0.6 0.2 1")
      .write(toFile: path, atomically: true, encoding: .utf8)
    #expect(try Self.document(path).0.epoch != first.epoch)
  }

  @Test("Every Menagerie scene: buffers inside, one mesh per id, indices in range, PNG textures")
  func menagerie() async throws {
    let scenes = TestPaths.menagerieScenes
    #expect(scenes.count >= 5)
    let references = try await MuJoCoReference.of(scenes.map(\.path))
    for (scene, reference) in zip(scenes, references) {
      let name = scene.deletingLastPathComponent().lastPathComponent + "/" + scene.lastPathComponent
      let (encoded, document) = try Self.document(scene.path)
      #expect(encoded.data.count < SceneDocument.maximumBytes)
      #expect(document.bufferStart % 8 == 0)

      let meshes = document.list("meshes")
      #expect(meshes.count == reference.nmesh, "\(name)")
      for mesh in meshes {
        let positions = try document.floats(mesh["positions"])
        let normals = try document.floats(mesh["normals"])
        let indices = try document.indices(mesh["indices"])
        let vertices = try #require(mesh["vertex_count"] as? Int)
        #expect(positions.count == 3 * vertices && normals.count == 3 * vertices, "\(name)")
        #expect(indices.count == 3 * (mesh["triangle_count"] as? Int ?? -1), "\(name)")
        #expect(indices.allSatisfy { Int($0) < vertices }, "\(name) mesh \(mesh["name"] ?? "")")
        #expect(positions.allSatisfy { $0.isFinite })
        if mesh["texcoords"] != nil {
          #expect(try document.floats(mesh["texcoords"]).count == 2 * vertices)
        }
      }

      let geoms = document.list("geoms")
      #expect(geoms.count == reference.ngeom, "\(name)")
      for (index, geom) in geoms.enumerated() {
        #expect(
          zip(Self.rgba(geom), reference.rgba[index]).allSatisfy { abs($0 - $1) < 1e-6 },
          "\(name) geom \(index)")
        let mesh = geom["mesh"] as? Int ?? -1
        #expect(mesh < meshes.count)
        if geom["type"] as? String == "mesh" { #expect(mesh >= 0, "\(name) geom \(index)") }
      }
      #expect(document.list("bodies").map { $0["moving"] as? Bool } == reference.moving.map { $0 })

      let textures = document.list("textures")
      #expect(textures.count == reference.ntex)
      for texture in textures {
        let png = try document.bytes(texture["png"])
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let decoded = try ImageDecoder.decode(png)
        #expect(decoded.width == texture["width"] as? Int)
        #expect(decoded.height == texture["height"] as? Int)
        if texture["type"] as? String == "skybox" {
          #expect(decoded.height == 6 * decoded.width)
          #expect(document.header["skybox"] as? Int == texture["id"] as? Int)
        }
      }
    }
  }

  @Test("The Panda's meshes appear once each, though geoms share them")
  func pandaSharesMeshes() throws {
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
    let (_, document) = try Self.document(scene.path)
    let used = document.list("geoms").compactMap { $0["mesh"] as? Int }.filter { $0 >= 0 }
    #expect(used.count > Set(used).count, "some mesh is used by more than one geom")
    let names = document.list("meshes").compactMap { $0["name"] as? String }
    #expect(names.count == Set(names).count)
    // Moving parts: the seven links and the hand's bodies; the base is welded to the world.
    let bodies = document.list("bodies")
    let moving = bodies.filter { $0["moving"] as? Bool == true }.compactMap {
      $0["name"] as? String
    }
    #expect(moving.contains("link7") && moving.contains("left_finger"))
    #expect(!moving.contains("link0") && !moving.contains("world"))
  }

  @Test("A document over the bound is refused with a message that says so")
  func bound() throws {
    #expect(throws: SceneDocumentError.self) {
      try SceneDocument.Buffers.check(SceneDocument.maximumBytes + 1)
    }
    let message = "\(SceneDocumentError.tooLarge(bytes: 200 << 20, limit: 128 << 20))"
    #expect(message.contains("200 MiB") && message.contains("128 MiB"))
    var buffers = SceneDocument.Buffers()
    buffers.reserved = SceneDocument.maximumBytes - 8
    #expect(throws: SceneDocumentError.self) {
      _ = try buffers.append(floats: [1, 2, 3])
    }
  }

  @Test("SHA-256 matches the standard's test vectors")
  func sha256() {
    func digest(_ text: String) -> String {
      var context = tau_sha256_context()
      tau_sha256_init(&context)
      let bytes = Array(text.utf8)
      // In uneven pieces, so the block buffering is exercised.
      var start = 0
      for size in [1, 63, 64, 7, 1000] where start < bytes.count {
        let end = min(start + size, bytes.count)
        bytes[start..<end].withUnsafeBytes { tau_sha256_update(&context, $0.baseAddress, $0.count) }
        start = end
      }
      if start < bytes.count {
        bytes[start...].withUnsafeBytes { tau_sha256_update(&context, $0.baseAddress, $0.count) }
      }
      var out = [UInt8](repeating: 0, count: 32)
      tau_sha256_final(&context, &out)
      return out.map { String(format: "%02x", $0) }.joined()
    }
    #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      digest(String(repeating: "a", count: 1000))
        == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
  }
}
