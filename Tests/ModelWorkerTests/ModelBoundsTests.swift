import Foundation
import MuJoCo
import TestSupport
import Testing
import Workers

@testable import ModelWorker

/// Issue 10.7, as the attacks: a few attributes or a small PNG that would make a shared
/// render worker allocate gigabytes, and a cache that kept whatever it compiled.
@Suite("Model size bounds")
struct ModelBoundsTests {
  static let hugeTexture = """
    <mujoco><asset><texture name="checker" type="2d" builtin="checker" width="16384"
      height="16384" rgb1="1 1 1" rgb2="0 0 0"/></asset>
    <worldbody><geom size=".1"/></worldbody></mujoco>
    """
  static let hugeHeightField = """
    <mujoco><asset><hfield name="ground" nrow="20000" ncol="20000" size="1 1 1 1"/></asset>
    <worldbody><geom type="hfield" hfield="ground"/></worldbody></mujoco>
    """

  @Test("A declared texture over its bound is a compile error, not an allocation")
  func declaredTexture() throws {
    #expect {
      try Model(xml: Self.hugeTexture)
    } throws: { error in
      "\(error)".contains("texture \"checker\" is 16384x16384 pixels, over the limit")
    }
    // At the bounds, models still compile.
    let atBound = Self.hugeTexture.replacingOccurrences(of: "16384", with: "1024")
    #expect(throws: Never.self) { try Model(xml: atBound) }
  }

  @Test("A project's height field over its bound is refused from its text, before MuJoCo parses it")
  func declaredHeightField() async throws {
    let project = try TestPaths.temporaryFolder()
    let scene = project.appendingPathComponent("scene.xml")
    try Self.hugeHeightField.write(to: scene, atomically: true, encoding: .utf8)
    let pool = ModelConfinementTests.pool()
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(60))
    // The text check names the line (the spec's, after parsing, could not): MuJoCo never
    // parsed it, so it never allocated the 400 million samples.
    await #expect {
      _ = try await client.load(.file(path: scene.path, confinedTo: project.path))
    } throws: { error in
      guard case WorkerError.failed(let failure) = error else { return false }
      return failure.message.contains(
        "height field \"ground\" is 20000x20000 samples, over the limit") && failure.line == 1
    }
    await pool.shutdown()
  }

  @Test("A PNG whose header says 20000x20000 is refused before MuJoCo decodes it")
  func pngBomb() async throws {
    let project = try TestPaths.temporaryFolder()
    // The signature and an IHDR chunk are all the check reads.
    var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    png += Data("IHDR".utf8)
    for value in [UInt32(20000), UInt32(20000)] {
      withUnsafeBytes(of: value.bigEndian) { png += $0 }
    }
    png += Data([8, 2, 0, 0, 0, 0, 0, 0, 0])
    try png.write(to: project.appendingPathComponent("bomb.png"))
    let scene = project.appendingPathComponent("scene.xml")
    try """
    <mujoco><asset><texture name="t" type="2d" file="bomb.png"/>
    <material name="m" texture="t"/></asset>
    <worldbody><geom size=".1" material="m"/></worldbody></mujoco>
    """.write(to: scene, atomically: true, encoding: .utf8)
    let pool = ModelConfinementTests.pool()
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(60))
    await #expect {
      _ = try await client.load(.file(path: scene.path, confinedTo: project.path))
    } throws: { error in
      "\(error)".contains("is 20000x20000 pixels, over the limit")
    }
    await pool.shutdown()
  }

  @Test("The python worker checks the same bounds")
  func sameBoundsInPython() async throws {
    let result = try await ProcessRunner.python(
      """
      import sys
      sys.path.insert(0, sys.argv[1])
      from tau_env import model_bounds
      print(model_bounds.MAX_TEXTURE_PIXELS, model_bounds.MAX_HEIGHT_FIELD_SAMPLES)
      """, [TestPaths.packageRoot.appendingPathComponent("python").path])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        == "\(ModelBounds.maxTexturePixels) \(ModelBounds.maxHeightFieldSamples)")
  }

  @Test("The model cache is bounded by bytes, not only by count; the model in use stays")
  func cacheBoundedByBytes() throws {
    let small = ModelSource.xml(
      #"<mujoco><worldbody><geom size=".1"/></worldbody></mujoco>"#, assetsDirectory: nil)
    let texture = Self.hugeTexture.replacingOccurrences(of: "16384", with: "2048")
    let large = ModelSource.xml(texture, assetsDirectory: nil)
    let largeBytes = try Model(xml: texture).byteSize
    #expect(largeBytes > 2048 * 2048 * 3)
    let cache = ModelCache(capacity: 8, maximumBytes: largeBytes + 1024 * 1024)
    _ = try cache.model(for: small)
    _ = try cache.model(for: large)
    #expect(cache.count == 2)
    let another = ModelSource.xml(
      texture.replacingOccurrences(of: "name=\"checker\"", with: "name=\"other\""),
      assetsDirectory: nil)
    _ = try cache.model(for: another)
    // Two large models do not fit: the older ones went.
    #expect(cache.count == 1)
    #expect(cache.bytes <= largeBytes + 1024 * 1024)
  }

  @Test("A worker under a memory limit still renders a Menagerie robot")
  func limitedWorkerRenders() async throws {
    let pool = WorkerPool(
      command: WorkerCommand(
        executable: TestPaths.tauExecutable,
        arguments: ["worker", "--mujoco-gl", "osmesa", "--memory-limit-mb", "2048"],
        environment: ["PATH": "/usr/bin:/bin"]),
      maximumWorkers: 1)
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(60))
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml").path
    let image = try await client.render(.file(path: scene), options: RenderOptions.still)
    #expect(image.count > 10_000)
    await pool.shutdown()
  }
}
