import CMuJoCo
import Foundation
import MuJoCo
import Workers

/// Poses of recorded states, for a 3D view replaying a run without simulating again: the
/// same bodies, lights and float32 layout as the physics side's live poses
/// (python/tau_env/poses.py): a body moves when it is not welded to the world or is a mocap
/// body; a light when it is on such a body or follows one.
enum PoseReplay {
  static func poses(model: Model, states values: [Double]) throws -> ModelWorkerReply {
    let size = SimulationState.size(for: model)
    guard size > 0, values.count % size == 0 else {
      throw WorkerRequestError(
        "poses needs whole states of \(size) numbers; got \(values.count) numbers")
    }
    let m = model.pointer.pointee
    // The scene document's rule of which bodies move, the one the viewer places bodies by.
    let motion = SceneDocument.movingBodies(model).body
    let bodies = motion.indices.filter { motion[$0] }
    let moving = Set(bodies)
    let lights = (0..<Int(m.nlight)).filter {
      moving.contains(Int(m.light_bodyid[$0])) || m.light_mode[$0] != 0
    }
    let data = SimulationData(model: model)
    var floats: [Float] = []
    floats.reserveCapacity(values.count / size * (bodies.count * 7 + lights.count * 6))
    for start in stride(from: 0, to: values.count, by: size) {
      try data.setState(SimulationState(values: Array(values[start..<start + size])))
      mj_kinematics(model.pointer, data.pointer)
      if !lights.isEmpty { mj_camlight(model.pointer, data.pointer) }
      let d = data.pointer.pointee
      for body in bodies {
        for k in 0..<3 { floats.append(Float(d.xpos[3 * body + k])) }
        for k in 0..<4 { floats.append(Float(d.xquat[4 * body + k])) }
      }
      for light in lights {
        for k in 0..<3 { floats.append(Float(d.light_xpos[3 * light + k])) }
        for k in 0..<3 { floats.append(Float(d.light_xdir[3 * light + k])) }
      }
    }
    let bytes = floats.withUnsafeBufferPointer { Data(buffer: $0) }
    return .posed(bodies: bodies, lights: lights, poses: bytes)
  }
}
