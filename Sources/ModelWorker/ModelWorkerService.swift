import CMuJoCo
import Foundation
import MuJoCo
import Rendering
import Workers

/// The request handler of a tau worker: compiles, inspects, steps and
/// renders models for its parent. One request at a time; a bad request gets
/// an `error` answer and the worker lives on.
public final class ModelWorkerService {
  public let platform: GLPlatform
  private var gl: GLContext?
  private let cache = ModelCache()

  public init(platform: GLPlatform) { self.platform = platform }

  /// The first frame a worker sends: who it is and how it renders.
  public func hello() -> Frame {
    Frame(
      "hello",
      [
        "tau": .string(TauVersion.current), "mujoco": .string(MuJoCoLibrary.loadedVersion),
        "gl": .string(platform.rawValue), "pid": .number(Double(getpid())),
      ])
  }

  /// Answers one request.
  public func handle(_ request: Frame) -> Frame {
    do {
      switch request.type {
      case "ping": return Frame("pong", ["pid": .number(Double(getpid()))])
      case "load": return try load(request)
      case "render": return try render(request)
      case "prepare": return try prepare(request)
      case "step": return try step(request)
      case "trace": return try trace(request)
      case "gl_info": return try glInfo()
      default: throw WorkerRequestError("unknown request type '\(request.type)'")
      }
    } catch let error as CompileError {
      return Frame(
        "error",
        [
          "kind": "compile", "message": .string(error.description),
          "mujoco_message": .string(error.message),
          "file": error.file.map(JSONValue.string) ?? .null,
          "line": error.line.map { .number(Double($0)) } ?? .null,
        ])
    } catch {
      return Frame("error", ["kind": "request", "message": .string(String(describing: error))])
    }
  }

  private func load(_ request: Frame) throws -> Frame {
    let model = try cache.model(for: try ModelSource(header: request["model"]))
    return Frame("loaded", ["summary": try JSONValue(encoding: model.summary)])
  }

  /// Compiles the model and sets up its renderer for a preset without rendering, so an
  /// episode's first frame finds both ready.
  private func prepare(_ request: Frame) throws -> Frame {
    _ = try renderer(for: request)
    return Frame("prepared")
  }

  private func render(_ request: Frame) throws -> Frame {
    let (renderer, options) = try renderer(for: request)
    let state =
      request["has_state"]?.boolValue == true
      ? SimulationState(values: request.doubles) : nil
    let image = try renderer.render(
      state: state, width: options.width, height: options.height,
      camera: camera(options.camera))
    let encoded =
      options.format == .png
      ? try ImageEncoder.png(image) : try ImageEncoder.jpeg(image, quality: options.jpegQuality)
    return Frame(
      "image",
      [
        "width": .number(Double(image.width)), "height": .number(Double(image.height)),
        "format": .string(options.format.rawValue),
      ], payload: encoded)
  }

  private func step(_ request: Frame) throws -> Frame {
    let model = try cache.model(for: try ModelSource(header: request["model"]))
    let steps = request["steps"]?.intValue ?? 1
    guard (1...1_000_000).contains(steps) else {
      throw WorkerRequestError("steps must be within 1...1000000, got \(steps)")
    }
    let data = SimulationData(model: model)
    if !data.reset(toKeyframe: 0) { data.reset() }
    var diverged = false
    var taken = 0
    while taken < steps && !diverged {
      data.step()
      taken += 1
      diverged = data.isDiverged
    }
    return Frame(
      "stepped",
      [
        "steps": .number(Double(taken)), "diverged": .bool(diverged), "time": .number(data.time),
        "warnings": .array(FatalErrorHandler.takeWarnings().map(JSONValue.string)),
      ], payload: Frame.payload(doubles: data.state.values))
  }

  /// Positions of the first body below the world (the robot's root) for
  /// each state of the payload: 3 numbers per state, in order.
  private func trace(_ request: Frame) throws -> Frame {
    let model = try cache.model(for: try ModelSource(header: request["model"]))
    let size = SimulationState.size(for: model)
    let values = request.doubles
    guard size > 0, values.count % size == 0 else {
      throw WorkerRequestError(
        "trace needs whole states of \(size) numbers; got \(values.count) numbers")
    }
    let data = SimulationData(model: model)
    let body = model.nbody > 1 ? 1 : 0
    var positions: [Double] = []
    positions.reserveCapacity(values.count / size * 3)
    for start in stride(from: 0, to: values.count, by: size) {
      try data.setState(SimulationState(values: Array(values[start..<start + size])))
      data.forward()
      let xpos = data.pointer.pointee.xpos!
      positions += [xpos[3 * body], xpos[3 * body + 1], xpos[3 * body + 2]]
    }
    return Frame(
      "traced", ["body": .string(model.name(of: mjOBJ_BODY, id: body))],
      payload: Frame.payload(doubles: positions))
  }

  private func glInfo() throws -> Frame {
    let gl = try context()
    return Frame(
      "gl_info",
      [
        "gl": .string(platform.rawValue), "renderer": .string(gl.renderer),
        "version": .string(gl.version),
      ])
  }

  /// The renderer of a `prepare` or `render` request's model and preset (made once per
  /// model and preset, then cached), with the request's checked options.
  private func renderer(for request: Frame) throws -> (SceneRenderer, RenderOptions) {
    let source = try ModelSource(header: request["model"])
    let options = try (request["options"] ?? .object([:])).decode(RenderOptions.self)
    try options.validate()
    let quality = SceneRenderer.Quality(rawValue: options.quality.rawValue) ?? .fast
    return (try cache.renderer(for: source, quality: quality, gl: try context()), options)
  }

  /// Creates the GL context now, so that the first frame of an episode does not pay for
  /// it (a server's warm render workers do this before saying hello). What remains of a
  /// model's first frame is its own: compiling it and making its renderer (textures,
  /// shadow map, offscreen buffer), which `prepare` overlaps with the python worker's
  /// start. A failure is left for the first render to report.
  public func warmUpGL() {
    _ = try? context()
  }

  private func context() throws -> GLContext {
    if let gl { return gl }
    let context = try GLContext.shared(platform: platform)
    gl = context
    return context
  }

  private func camera(_ choice: CameraChoice) -> SceneRenderer.Camera {
    switch choice {
    case .free: return .free
    case .named(let name): return .named(name)
    case .orbit(let azimuth, let elevation, let distance, let lookat):
      return .orbit(azimuth: azimuth, elevation: elevation, distance: distance, lookat: lookat)
    }
  }
}
