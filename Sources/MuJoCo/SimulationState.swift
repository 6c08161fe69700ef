import CMuJoCo

/// A model's integration state (`mj_getState` with `mjSTATE_INTEGRATION`):
/// time, qpos, qvel, act, warm start, controls and the rest that makes a
/// step reproducible. The Python worker sends these; the tau worker applies
/// them to render the very same pose.
public struct SimulationState: Equatable, Sendable {
  public var values: [Double]

  public init(values: [Double]) { self.values = values }

  public static func size(for model: Model) -> Int {
    Int(mj_stateSize(model.pointer, Int32(mjSTATE_INTEGRATION.rawValue)))
  }
}
