import Foundation

/// Typed requests to tau workers (`tau worker`): compile, inspect and render
/// models without running MuJoCo or GL in the calling process.
///
/// With `projectPools`, a model confined to a project goes to that project's own sandboxed
/// worker; everything else (and every model without them) goes to `pool`.
public struct ModelWorkerClient: Sendable {
  public let pool: WorkerPool
  public let projectPools: ProjectWorkerPools?
  public var timeout: Duration

  public init(
    pool: WorkerPool, projectPools: ProjectWorkerPools? = nil, timeout: Duration = .seconds(60)
  ) {
    self.pool = pool
    self.projectPools = projectPools
    self.timeout = timeout
  }

  /// Sends `request` to the worker its model belongs to.
  private func send(_ request: ModelWorkerRequest) async throws -> ModelWorkerReply {
    if let projectPools, case .file(_, let project?) = request.model {
      return try await projectPools.pool(for: project).request(request, timeout: timeout)
    }
    return try await pool.request(request, timeout: timeout)
  }

  /// Compiles the model and summarizes it. A compile error comes back as
  /// `WorkerError.failed` whose failure carries `file` and `line` when MuJoCo names them.
  public func load(_ source: ModelSource) async throws -> ModelSummary {
    guard case .loaded(let summary) = try await send(.load(source))
    else { throw WorkerError.protocolViolation("expected the model's summary") }
    return summary
  }

  /// Compiles the model and sets up its renderer for `options`' preset in a worker,
  /// ahead of the first `render`, which then finds both ready in that worker.
  public func prepare(_ source: ModelSource, options: RenderOptions) async throws {
    _ = try await send(.prepare(source, options))
  }

  /// Renders `state` (an integration state; nil means the initial state:
  /// keyframe 0 when the model has one) and returns the encoded image.
  public func render(
    _ source: ModelSource, state: [Double]? = nil, options: RenderOptions
  ) async throws -> Data {
    let reply = try await send(.render(source, state: state, options: options))
    guard case .image(let image) = reply else {
      throw WorkerError.protocolViolation("expected an image")
    }
    return image.data
  }

  /// The root body's position (x, y, z) in each of `states`.
  public func trace(_ source: ModelSource, states: [[Double]]) async throws -> [[Double]] {
    guard !states.isEmpty else { return [] }
    let reply = try await send(.trace(source, states: states.flatMap { $0 }))
    guard case .traced(_, let values) = reply else {
      throw WorkerError.protocolViolation("expected a trace")
    }
    return stride(from: 0, to: values.count - 2, by: 3).map { Array(values[$0..<$0 + 3]) }
  }

  /// Steps the model `steps` times with zero controls and reports whether the
  /// state stayed finite (a smoke test of a scene).
  public func step(_ source: ModelSource, steps: Int) async throws -> StepCheck {
    guard
      case .stepped(let check) = try await send(.step(source, steps: steps))
    else { throw WorkerError.protocolViolation("expected a step report") }
    return check
  }

  /// The model's scene for a browser viewer: one binary document (`docs/SCENE.md`) with its
  /// epoch (the compiled model's hash) and the files compiling it read. A compile error comes
  /// back as `WorkerError.failed`, as `load`'s does; so does a document over the size bound.
  public func scene(_ source: ModelSource) async throws -> EncodedScene {
    guard case .scene(let scene) = try await send(.scene(source))
    else { throw WorkerError.protocolViolation("expected a scene document") }
    return scene
  }

  /// The moving bodies' and lights' ids, and the float32 poses of every state in order.
  public func poses(_ source: ModelSource, states: [[Double]]) async throws
    -> (bodies: [Int], lights: [Int], poses: Data)
  {
    guard
      case .posed(let bodies, let lights, let poses) = try await send(
        .poses(source, states: states.flatMap { $0 }))
    else { throw WorkerError.protocolViolation("expected poses") }
    return (bodies, lights, poses)
  }

  /// The model's bodies (as a tree), joints, actuators, sensors, cameras, lights and keyframes.
  public func inspect(_ source: ModelSource) async throws -> ModelTree {
    guard case .inspected(let tree) = try await send(.inspect(source))
    else { throw WorkerError.protocolViolation("expected a model tree") }
    return tree
  }

  /// The process id of a worker (which one the pool chose).
  public func ping() async throws -> Int {
    guard case .pong(let pid) = try await pool.request(.ping, timeout: timeout) else {
      throw WorkerError.protocolViolation("expected pong")
    }
    return pid
  }

  /// The GL context a worker renders with.
  public func glInfo() async throws -> GLInfo {
    guard case .glInfo(let info) = try await pool.request(.glInfo, timeout: timeout) else {
      throw WorkerError.protocolViolation("expected GL information")
    }
    return info
  }
}
