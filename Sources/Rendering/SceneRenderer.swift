import CMuJoCo
import Foundation
import MuJoCo

/// Renders states of one model to RGB images offscreen.
///
/// Owns MuJoCo's visual scene (`mjvScene`) and GPU resources
/// (`mjrContext`) for the model. The offscreen buffer grows when a request
/// is larger than the model's `offwidth`/`offheight`.
///
/// Unchecked Sendable: its MuJoCo scene and GL resources are used only inside the GL
/// context's lock, one render at a time.
public final class SceneRenderer: @unchecked Sendable {
  /// Render presets. `high` keeps the model's own visual settings; `fast`
  /// turns multisampling off and uses a 1024 shadow map. Measured at
  /// 480x360 on 2 cores with OSMesa: about 20 frames/s for `high`, 60 for
  /// `fast`. `segmentation` is MuJoCo's segmentation image with each pixel naming its
  /// geom (`GeomSegmentation`): what a browser viewer's fidelity is checked against.
  public enum Quality: String, Sendable, CaseIterable, Codable {
    case high, fast, segmentation
  }

  /// Where the image is taken from.
  public enum Camera: Sendable, Equatable, Codable {
    /// MuJoCo's default free camera, framing the whole model.
    case free
    /// A camera the model defines, by name.
    case named(String)
    /// The free camera moved: angles in degrees; nil keeps the default.
    case orbit(azimuth: Double?, elevation: Double?, distance: Double?, lookat: [Double]?)
  }

  /// The largest image (the offscreen buffer grows to it): every request is bounded by it.
  public static let maximumWidth = 1920
  public static let maximumHeight = 1080
  static let fastShadowSize: Int32 = 1024

  public let model: Model
  public let quality: Quality
  private let gl: GLContext
  private let scene: UnsafeMutablePointer<mjvScene>
  private let context: UnsafeMutablePointer<mjrContext>
  private let option: UnsafeMutablePointer<mjvOption>
  private let data: SimulationData

  public init(model: Model, quality: Quality, gl: GLContext) throws {
    self.model = model
    self.quality = quality
    self.gl = gl
    scene = .allocate(capacity: 1)
    context = .allocate(capacity: 1)
    option = .allocate(capacity: 1)
    data = SimulationData(model: model)
    mjv_defaultScene(scene)
    mjr_defaultContext(context)
    mjv_defaultOption(option)
    if quality != .high {
      // Multisampling would blend the ids of neighbouring geoms in a segmentation image.
      model.pointer.pointee.vis.quality.offsamples = 0
      model.pointer.pointee.vis.quality.shadowsize = Self.fastShadowSize
    }
    if quality == .segmentation { GeomSegmentation.configure(option) }
    try gl.withCurrent {
      mjv_makeScene(model.pointer, scene, 2000)
      if quality == .segmentation { GeomSegmentation.configure(scene) }
      mjr_makeContext(model.pointer, context, Int32(mjFONTSCALE_150.rawValue))
      mjr_setBuffer(Int32(mjFB_OFFSCREEN.rawValue), context)
    }
  }

  deinit {
    _ = try? gl.withCurrent {
      mjr_freeContext(context)
      mjv_freeScene(scene)
    }
    scene.deallocate()
    context.deallocate()
    option.deallocate()
  }

  /// Renders `state` (nil: the initial state, keyframe 0 if the model has one).
  public func render(
    state: SimulationState?, width: Int, height: Int, camera: Camera = .free
  ) throws -> RGBImage {
    if let state {
      try data.setState(state)
    } else if !data.reset(toKeyframe: 0) {
      data.reset()
    }
    data.forward()
    return try render(data: data, width: width, height: height, camera: camera)
  }

  /// Renders the current pose of `data` (which must belong to this model).
  public func render(
    data: SimulationData, width: Int, height: Int, camera: Camera = .free
  ) throws -> RGBImage {
    guard (1...Self.maximumWidth).contains(width), (1...Self.maximumHeight).contains(height) else {
      throw RenderError.invalidSize(width: width, height: height)
    }
    var view = try makeCamera(camera)
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    try gl.withCurrent {
      if width > Int(context.pointee.offWidth) || height > Int(context.pointee.offHeight) {
        mjr_resizeOffscreen(
          Int32(max(width, Int(context.pointee.offWidth))),
          Int32(max(height, Int(context.pointee.offHeight))), context)
        mjr_setBuffer(Int32(mjFB_OFFSCREEN.rawValue), context)
      }
      let viewport = mjrRect(left: 0, bottom: 0, width: Int32(width), height: Int32(height))
      mjv_updateScene(
        model.pointer, data.pointer, option, nil, &view, Int32(mjCAT_ALL.rawValue), scene)
      mjr_render(viewport, scene, context)
      mjr_readPixels(&pixels, nil, viewport, context)
    }
    if quality == .segmentation { GeomSegmentation.name(&pixels, scene: scene) }
    return RGBImage(width: width, height: height, pixels: pixels)
  }

  private func makeCamera(_ camera: Camera) throws -> mjvCamera {
    var view = mjvCamera()
    mjv_defaultFreeCamera(model.pointer, &view)
    switch camera {
    case .free:
      break
    case .named(let name):
      guard let id = model.id(of: mjOBJ_CAMERA, named: name) else {
        let cameras = model.names(of: mjOBJ_CAMERA, count: Int(model.pointer.pointee.ncam))
        throw RenderError.unknownCamera(name, available: cameras)
      }
      view.type = Int32(mjCAMERA_FIXED.rawValue)
      view.fixedcamid = Int32(id)
    case .orbit(let azimuth, let elevation, let distance, let lookat):
      if let azimuth { view.azimuth = azimuth }
      if let elevation { view.elevation = elevation }
      if let distance { view.distance = distance }
      if let lookat, lookat.count == 3 { view.lookat = (lookat[0], lookat[1], lookat[2]) }
    }
    return view
  }
}
