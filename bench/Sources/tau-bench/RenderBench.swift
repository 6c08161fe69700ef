import Foundation
import MuJoCo
import Rendering

enum RenderBench {
  /// Frames per second of render + encode while the model moves, over ~1.5 s each.
  static func framesPerSecond(
    scene: URL, quality: SceneRenderer.Quality, width: Int, height: Int, gl: GLContext
  ) throws -> (jpeg: Double, png: Double) {
    let renderer = try SceneRenderer(
      model: try Model(contentsOf: scene.path), quality: quality, gl: gl)
    let data = SimulationData(model: renderer.model)
    func measure(_ encode: (RGBImage) throws -> Data) throws -> Double {
      var frames = 0
      let start = Date()
      while Date().timeIntervalSince(start) < 1.5 {
        for _ in 0..<3 { data.step() }
        _ = try encode(try renderer.render(data: data, width: width, height: height))
        frames += 1
      }
      return Double(frames) / Date().timeIntervalSince(start)
    }
    _ = try renderer.render(data: data, width: width, height: height)
    return (
      try measure { try ImageEncoder.jpeg($0, quality: 80) },
      try measure { try ImageEncoder.png($0) }
    )
  }
}
