import CMuJoCo
import Foundation
import MuJoCo
import Rendering
import Workers

/// The request handler of a tau worker: compiles, inspects, steps and
/// renders models for its parent, and describes their scenes for browser viewers. One request at a time; a bad request gets
/// an `error` answer and the worker lives on.
public final class ModelWorkerService {
  public let platform: GLPlatform
  private var gl: GLContext?
  private let cache = ModelCache()

  public init(platform: GLPlatform) { self.platform = platform }

  /// The first message a worker sends: who it is and how it renders.
  public func hello() -> ModelWorkerReply {
    .hello(
      ModelWorkerHello(
        tauVersion: TauVersion.current, mujocoVersion: MuJoCoLibrary.loadedVersion,
        gl: platform.rawValue, pid: Int(getpid())))
  }

  /// Answers one request frame; one that is not a request gets a `failed` answer.
  public func handle(_ frame: Frame) -> ModelWorkerReply {
    do {
      return try handle(try ModelWorkerRequest(frame: frame))
    } catch let error as CompileError {
      return .failed(
        WorkerFailure(
          kind: .compile, message: error.description, mujocoMessage: error.message,
          file: error.file, line: error.line))
    } catch {
      return .failed(WorkerFailure(kind: .request, message: String(describing: error)))
    }
  }

  private func handle(_ request: ModelWorkerRequest) throws -> ModelWorkerReply {
    switch request {
    case .ping: return .pong(pid: Int(getpid()))
    case .load(let source): return .loaded(ModelSummary(try cache.model(for: source)))
    case .prepare(let source, let options):
      // Compiles the model and sets up its renderer for a preset without rendering, so
      // an episode's first frame finds both ready.
      _ = try renderer(for: source, options: options)
      return .prepared
    case .render(let source, let state, let options):
      return .image(try render(source, state: state, options: options))
    case .step(let source, let steps): return .stepped(try step(source, steps: steps))
    case .trace(let source, let states): return try trace(source, states: states)
    case .poses(let source, let states):
      return try PoseReplay.poses(model: try cache.model(for: source), states: states)
    case .glInfo: return .glInfo(try glInfo())
    case .scene(let source):
      let (model, files) = try cache.compiled(for: source)
      return .scene(try SceneDocument.make(model, files: files))
    case .inspect(let source): return .inspected(ModelTree(try cache.model(for: source)))
    }
  }

  private func render(
    _ source: ModelSource, state: [Double]?, options: RenderOptions
  ) throws -> EncodedImage {
    let renderer = try renderer(for: source, options: options)
    let image = try renderer.render(
      state: state.map(SimulationState.init(values:)), width: options.width,
      height: options.height, camera: options.camera)
    let encoded =
      options.format == .png
      ? try ImageEncoder.png(image) : try ImageEncoder.jpeg(image, quality: options.jpegQuality)
    return EncodedImage(
      width: image.width, height: image.height, format: options.format, data: encoded)
  }

  private func step(_ source: ModelSource, steps: Int) throws -> StepCheck {
    let model = try cache.model(for: source)
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
    return StepCheck(
      steps: taken, diverged: diverged, time: data.time,
      warnings: FatalErrorHandler.takeWarnings(), state: data.state.values)
  }

  /// Positions of the first body below the world (the robot's root) for
  /// each whole state: 3 numbers per state, in order.
  private func trace(_ source: ModelSource, states values: [Double]) throws -> ModelWorkerReply {
    let model = try cache.model(for: source)
    let size = SimulationState.size(for: model)
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
    return .traced(body: model.name(of: mjOBJ_BODY, id: body), positions: positions)
  }

  private func glInfo() throws -> GLInfo {
    let gl = try context()
    return GLInfo(platform: platform.rawValue, renderer: gl.renderer, version: gl.version)
  }

  /// The renderer of a model and preset (made once per model and preset, then cached).
  private func renderer(for source: ModelSource, options: RenderOptions) throws -> SceneRenderer {
    try cache.renderer(for: source, quality: options.quality, gl: try context())
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
}
