import CMuJoCo
import MuJoCo
import Workers

extension ModelSummary {
  /// The summary of a compiled model.
  init(_ model: Model) {
    let m = model.pointer.pointee
    self.init(
      timestep: model.timestep, nq: model.nq, nv: model.nv, nu: model.nu, nbody: model.nbody,
      ngeom: model.ngeom, nkey: model.nkey,
      bodies: model.names(of: mjOBJ_BODY, count: Int(m.nbody)),
      joints: model.names(of: mjOBJ_JOINT, count: Int(m.njnt)),
      actuators: model.names(of: mjOBJ_ACTUATOR, count: Int(m.nu)),
      sensors: model.names(of: mjOBJ_SENSOR, count: Int(m.nsensor)),
      cameras: model.names(of: mjOBJ_CAMERA, count: Int(m.ncam)), warnings: model.warnings)
  }
}
