import CMuJoCo
import Foundation
import MuJoCo
import TestSupport
import Testing

@Suite("Compiling and stepping models")
struct ModelCompileTests {
  static var models: [URL] {
    get throws { [try TestPaths.cartpoleScene()] + TestPaths.menagerieScenes }
  }

  @Test("Menagerie is there to test against")
  func menagerieIsPresent() {
    #expect(TestPaths.menagerieScenes.count >= 5)
  }

  @Test(
    "The cartpole and every Menagerie model compile and step 1000 times without NaN",
    arguments: try models)
  func compilesAndSteps(scene: URL) async throws {
    // Seconds of physics, on a thread of its own: not on a cooperative thread that the
    // in-process servers of other tests need.
    let (diverged, time, bodies) = try await onOwnThread {
      let model = try Model(contentsOf: scene.path)
      let data = SimulationData(model: model)
      if !data.reset(toKeyframe: 0) { data.reset() }
      for _ in 0..<1000 {
        data.step()
      }
      return (data.isDiverged, data.time, model.nbody)
    }
    #expect(!diverged, "\(scene.lastPathComponent) diverged")
    #expect(time > 0)
    #expect(bodies > 1)
  }

  @Test("A model compiles from text with its assets folder")
  func compilesFromText() throws {
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/panda.xml")
    let text = try String(contentsOf: scene, encoding: .utf8)
    let model = try Model(xml: text, assetsDirectory: scene.deletingLastPathComponent().path)
    #expect(model.nu == 8)
    #expect(model.id(of: mjOBJ_JOINT, named: "joint1") != nil)
  }
}
