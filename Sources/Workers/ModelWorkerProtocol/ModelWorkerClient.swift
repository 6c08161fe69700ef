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

  /// Compiles the model; returns the worker's summary (see ModelSummary).
  /// A compile error comes back as `WorkerError.failed` whose details carry
  /// `file` and `line` when MuJoCo names them.
  public func load(_ source: ModelSource) async throws -> [String: JSONValue] {
    let reply = try await pool.request(Frame("load", ["model": source.header]), timeout: timeout)
    return reply["summary"]?.objectValue ?? [:]
  }

  /// Compiles the model and sets up its renderer for `options`' preset in a worker,
  /// ahead of the first `render`, which then finds both ready in that worker.
  public func prepare(_ source: ModelSource, options: RenderOptions) async throws {
    _ = try await pool.request(
      Frame("prepare", ["model": source.header, "options": try JSONValue(encoding: options)]),
      timeout: timeout, affinity: source)
  }

  /// Renders `state` (an integration state; nil means the initial state:
  /// keyframe 0 when the model has one) and returns the encoded image.
  public func render(
    _ source: ModelSource, state: [Double]? = nil, options: RenderOptions
  ) async throws -> Data {
    var fields: [String: JSONValue] = [
      "model": source.header, "options": try JSONValue(encoding: options),
    ]
    var payload = Data()
    if let state {
      fields["has_state"] = true
      payload = Frame.payload(doubles: state)
    }
    let reply = try await pool.request(
      Frame("render", fields, payload: payload), timeout: timeout, affinity: source)
    guard reply.type == "image" else {
      throw WorkerError.protocolViolation("expected image, got \(reply.type)")
    }
    return reply.payload
  }

  /// The root body's position (x, y, z) in each of `states`.
  public func trace(_ source: ModelSource, states: [[Double]]) async throws -> [[Double]] {
    guard !states.isEmpty else { return [] }
    let reply = try await pool.request(
      Frame(
        "trace", ["model": source.header], payload: Frame.payload(doubles: states.flatMap { $0 })),
      timeout: timeout)
    let values = reply.doubles
    return stride(from: 0, to: values.count - 2, by: 3).map { Array(values[$0..<$0 + 3]) }
  }

  /// Steps the model `steps` times with zero controls and reports whether the
  /// state stayed finite (a smoke test of a scene, used by validate).
  public func step(_ source: ModelSource, steps: Int) async throws -> [String: JSONValue] {
    let reply = try await pool.request(
      Frame("step", ["model": source.header, "steps": .number(Double(steps))]), timeout: timeout)
    return reply.header
  }
}
