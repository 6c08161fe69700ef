import CMuJoCo

/// The simulation state of one model (`mjData`), freed with the object.
///
/// Named `SimulationData` rather than `Data` so it never shadows
/// Foundation's `Data` in files that use both.
///
/// Unchecked Sendable: an `mjData` may move between threads but is used by one at a time; a
/// tau worker serves one request at a time, and each renderer owns its data.
public final class SimulationData: @unchecked Sendable {
  public let model: Model
  public let pointer: UnsafeMutablePointer<mjData>

  /// Makes data for `model`. MuJoCo raises a fatal error (see
  /// `FatalErrorHandler`) when the model's arena cannot hold it.
  public init(model: Model) {
    self.model = model
    self.pointer = mj_makeData(model.pointer)
  }

  deinit { mj_deleteData(pointer) }

  public func step() { mj_step(model.pointer, pointer) }
  public func forward() { mj_forward(model.pointer, pointer) }
  public func reset() { mj_resetData(model.pointer, pointer) }

  /// Resets to keyframe `index`; false when the model has no such keyframe.
  @discardableResult
  public func reset(toKeyframe index: Int) -> Bool {
    guard index >= 0, index < model.nkey else { return false }
    mj_resetDataKeyframe(model.pointer, pointer, Int32(index))
    return true
  }

  public var time: Double { pointer.pointee.time }

  public var qpos: UnsafeMutableBufferPointer<Double> {
    UnsafeMutableBufferPointer(start: pointer.pointee.qpos, count: model.nq)
  }
  public var qvel: UnsafeMutableBufferPointer<Double> {
    UnsafeMutableBufferPointer(start: pointer.pointee.qvel, count: model.nv)
  }
  public var ctrl: UnsafeMutableBufferPointer<Double> {
    UnsafeMutableBufferPointer(start: pointer.pointee.ctrl, count: model.nu)
  }
  /// Geom positions in world frame, 3 numbers per geom.
  public var geomPositions: UnsafeBufferPointer<Double> {
    UnsafeBufferPointer(start: pointer.pointee.geom_xpos, count: model.ngeom * 3)
  }

  /// The integration state (`mjSTATE_INTEGRATION`), what runs exchange.
  public var state: SimulationState {
    get {
      var values = [Double](repeating: 0, count: SimulationState.size(for: model))
      mj_getState(model.pointer, pointer, &values, Int32(mjSTATE_INTEGRATION.rawValue))
      return SimulationState(values: values)
    }
  }

  /// Applies `state`; it must come from the same model (its size says so).
  public func setState(_ state: SimulationState) throws {
    let expected = SimulationState.size(for: model)
    guard state.values.count == expected else {
      throw StateSizeError(expected: expected, received: state.values.count)
    }
    state.values.withUnsafeBufferPointer { buffer in
      mj_setState(model.pointer, pointer, buffer.baseAddress, Int32(mjSTATE_INTEGRATION.rawValue))
    }
  }

  /// True when qpos, qvel or qacc holds a NaN or an infinity.
  public var isDiverged: Bool {
    let d = pointer.pointee
    func bad(_ p: UnsafeMutablePointer<Double>?, _ n: Int) -> Bool {
      guard let p else { return false }
      return UnsafeBufferPointer(start: p, count: n).contains { !$0.isFinite }
    }
    return bad(d.qpos, model.nq) || bad(d.qvel, model.nv) || bad(d.qacc, model.nv)
  }
}

/// A state vector whose length does not match the model it is applied to.
public struct StateSizeError: Error, CustomStringConvertible {
  public var expected: Int
  public var received: Int
  public var description: String {
    "state has \(received) numbers but this model's integration state has \(expected)"
  }
}
