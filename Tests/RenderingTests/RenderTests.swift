import CMuJoCo
import Foundation
import MuJoCo
import Rendering
import TestSupport
import Testing

/// Rendering in this test process, with OSMesa (one GL platform per process).
@Suite("Offscreen rendering", .serialized)
struct RenderTests {
  static func renderer(_ scene: URL, quality: SceneRenderer.Quality = .high) throws
    -> SceneRenderer
  {
    let gl = try GLContext.shared(platform: .osmesa)
    return try SceneRenderer(model: try Model(contentsOf: scene.path), quality: quality, gl: gl)
  }

  /// Pixels that look like the pole's orange (rgba 0.9 0.6 0.1), lit or shaded.
  static func isPoleColour(_ p: (r: UInt8, g: UInt8, b: UInt8)) -> Bool {
    Int(p.r) > 60 && Int(p.r) > Int(p.g) + 20 && Int(p.g) > Int(p.b) + 15 && Int(p.b) < 90
  }

  /// Mean x and y (from the top) of the pixels that pass `test`, and their count.
  static func centroid(
    _ image: RGBImage, _ test: ((r: UInt8, g: UInt8, b: UInt8)) -> Bool
  ) -> (x: Double, y: Double, count: Int) {
    var sx = 0.0
    var sy = 0.0
    var count = 0
    for y in 0..<image.height {
      for x in 0..<image.width where test(image.pixel(x: x, y: y)) {
        sx += Double(x)
        sy += Double(y)
        count += 1
      }
    }
    return (sx / Double(max(count, 1)), sy / Double(max(count, 1)), count)
  }

  @Test(
    "Every model renders a picture with something in it",
    arguments: [try TestPaths.cartpoleScene()] + TestPaths.menagerieScenes)
  func everyModelRenders(scene: URL) async throws {
    // Seconds of rendering, on a thread of its own (see ModelCompileTests).
    let image = try await onOwnThread {
      try Self.renderer(scene, quality: .fast).render(state: nil, width: 160, height: 120)
    }
    #expect(image.pixels.count == 160 * 120 * 3)
    let distinct = Set(stride(from: 0, to: image.pixels.count, by: 3).map { image.pixels[$0] })
    #expect(distinct.count > 10, "\(scene.lastPathComponent) rendered a flat image")
  }

  @Test("The cartpole PNG shows the pole's colour where the pole is")
  func poleIsWhereItShouldBe() throws {
    let scene = try TestPaths.cartpoleScene()
    let renderer = try Self.renderer(scene)
    let model = renderer.model
    let data = SimulationData(model: model)

    data.reset()
    data.forward()
    let upright = try renderer.render(data: data, width: 320, height: 240)
    let cart = Self.centroid(upright) { Int($0.b) > Int($0.r) + 30 && $0.b > 80 }
    let pole = Self.centroid(upright, Self.isPoleColour)
    #expect(pole.count > 100, "no pole-coloured pixels")
    #expect(cart.count > 100, "no cart-coloured pixels")
    // Upright: the pole stands above the cart, over its middle.
    #expect(abs(pole.x - cart.x) < 15)
    #expect(pole.y < cart.y)

    // Tilted a full radian about y: the pole leans to one side of the cart.
    data.qpos[1] = 1.0
    data.forward()
    let tilted = try renderer.render(data: data, width: 320, height: 240)
    let leaning = Self.centroid(tilted, Self.isPoleColour)
    #expect(leaning.count > 100)
    #expect(abs(leaning.x - cart.x) > 20)
    #expect(tilted.pixels != upright.pixels)

    // The PNG carries exactly those pixels, top row first.
    let png = try ImageEncoder.png(upright)
    let decoded = try ImageDecoder.decode(png)
    #expect(decoded.width == 320 && decoded.height == 240)
    let x = Int(pole.x.rounded())
    let y = Int(pole.y.rounded())
    let offset = (y * 320 + x) * 3
    let p = upright.pixel(x: x, y: y)
    #expect(
      [decoded.rgb[offset], decoded.rgb[offset + 1], decoded.rgb[offset + 2]] == [p.r, p.g, p.b])
  }

  @Test("Two different states give different images")
  func statesDiffer() throws {
    let scene = try TestPaths.cartpoleScene()
    let renderer = try Self.renderer(scene, quality: .fast)
    let data = SimulationData(model: renderer.model)
    data.reset()
    let first = try renderer.render(state: data.state, width: 200, height: 150)
    data.qpos[0] = 0.8
    let second = try renderer.render(state: data.state, width: 200, height: 150)
    #expect(first.pixels != second.pixels)
  }

  @Test(
    "A JPEG decodes to the asked size, even past the model's offscreen buffer",
    arguments: [(64, 48), (480, 360), (1920, 1080)])
  func jpegSize(width: Int, height: Int) throws {
    let renderer = try Self.renderer(try TestPaths.cartpoleScene(), quality: .fast)
    let image = try renderer.render(state: nil, width: width, height: height)
    let jpeg = try ImageEncoder.jpeg(image, quality: 80)
    #expect(jpeg.starts(with: [0xFF, 0xD8]))
    let decoded = try ImageDecoder.decode(jpeg)
    #expect(decoded.width == width)
    #expect(decoded.height == height)
  }

  @Test("A named camera and an orbit change the view; an unknown camera is named in the error")
  func cameras() throws {
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/scene.xml")
    let renderer = try Self.renderer(scene, quality: .fast)
    let free = try renderer.render(state: nil, width: 120, height: 90)
    let orbit = try renderer.render(
      state: nil, width: 120, height: 90,
      camera: .orbit(azimuth: 45, elevation: -60, distance: 2.5, lookat: [0, 0, 0.4]))
    #expect(free.pixels != orbit.pixels)
    let error = #expect(throws: RenderError.self) {
      try renderer.render(state: nil, width: 120, height: 90, camera: .named("nope"))
    }
    #expect(error?.description.contains("nope") == true)
  }

  @Test("A segmentation image names the geom under each pixel: floor, cart and pole")
  func segmentationNamesGeoms() throws {
    let renderer = try Self.renderer(try TestPaths.cartpoleScene(), quality: .segmentation)
    let model = renderer.model
    let image = try renderer.render(state: nil, width: 160, height: 120, camera: .named("side"))
    var seen: [Int: Int] = [:]
    for start in stride(from: 0, to: image.pixels.count, by: 3) {
      let value =
        Int(image.pixels[start]) | Int(image.pixels[start + 1]) << 8
        | Int(image.pixels[start + 2]) << 16
      seen[value, default: 0] += 1
    }
    let ids = ["floor", "cart", "pole"].map { model.id(of: mjOBJ_GEOM, named: $0)! + 1 }
    for id in ids { #expect(seen[id, default: 0] > 20, "geom \(id - 1) is missing: \(seen)") }
    // Only geom ids (and 0 for nothing) appear: no shading, no blended edges.
    let geoms = Int(model.pointer.pointee.ngeom)
    #expect(seen.keys.allSatisfy { (0...geoms).contains($0) }, "\(seen.keys.sorted())")
    // The pole stands above the cart: its pixels are higher in the side camera's picture.
    let pole = Self.centroid(image) { Int($0.r) == ids[2] && $0.g == 0 && $0.b == 0 }
    let cart = Self.centroid(image) { Int($0.r) == ids[1] && $0.g == 0 && $0.b == 0 }
    #expect(pole.y < cart.y)
  }

  @Test("Sizes beyond 1920x1080 are refused")
  func tooLarge() throws {
    let renderer = try Self.renderer(try TestPaths.cartpoleScene(), quality: .fast)
    #expect(throws: RenderError.invalidSize(width: 4000, height: 100)) {
      try renderer.render(state: nil, width: 4000, height: 100)
    }
  }
}
