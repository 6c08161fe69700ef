import Foundation

/// Typed requests to tau workers (`tau worker`): compile, inspect and render
/// models without running MuJoCo or GL in the calling process.
public struct ModelWorkerClient: Sendable {
  public let pool: WorkerPool
  public var timeout: Duration

  public init(pool: WorkerPool, timeout: Duration = .seconds(60)) {
    self.pool = pool
    self.timeout = timeout
  }

  /// Compiles the model and summarizes it. A compile error comes back as
  /// `WorkerError.failed` whose failure carries `file` and `line` when MuJoCo names them.
  public func load(_ source: ModelSource) async throws -> ModelSummary {
    guard case .loaded(let summary) = try await pool.request(.load(source), timeout: timeout)
    else { throw WorkerError.protocolViolation("expected the model's summary") }
    return summary
  }

  /// Compiles the model and sets up its renderer for `options`' preset in a worker,
  /// ahead of the first `render`, which then finds both ready in that worker.
  public func prepare(_ source: ModelSource, options: RenderOptions) async throws {
    _ = try await pool.request(.prepare(source, options), timeout: timeout)
  }

  /// Renders `state` (an integration state; nil means the initial state:
  /// keyframe 0 when the model has one) and returns the encoded image.
  public func render(
    _ source: ModelSource, state: [Double]? = nil, options: RenderOptions
  ) async throws -> Data {
    let reply = try await pool.request(
      .render(source, state: state, options: options), timeout: timeout)
    guard case .image(let image) = reply else {
      throw WorkerError.protocolViolation("expected an image")
    }
    return image.data
  }

  /// The root body's position (x, y, z) in each of `states`.
  public func trace(_ source: ModelSource, states: [[Double]]) async throws -> [[Double]] {
    guard !states.isEmpty else { return [] }
    let reply = try await pool.request(
      .trace(source, states: states.flatMap { $0 }), timeout: timeout)
    guard case .traced(_, let values) = reply else {
      throw WorkerError.protocolViolation("expected a trace")
    }
    return stride(from: 0, to: values.count - 2, by: 3).map { Array(values[$0..<$0 + 3]) }
  }

  /// Steps the model `steps` times with zero controls and reports whether the
  /// state stayed finite (a smoke test of a scene).
  public func step(_ source: ModelSource, steps: Int) async throws -> StepCheck {
    guard
      case .stepped(let check) = try await pool.request(
        .step(source, steps: steps), timeout: timeout)
    else { throw WorkerError.protocolViolation("expected a step report") }
    return check
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
