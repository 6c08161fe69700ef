import CMuJoCo

/// What a model holds, as the IDE and `tau validate --json` show it.
public struct ModelSummary: Codable, Equatable, Sendable {
  public var timestep: Double
  public var nq: Int
  public var nv: Int
  public var nu: Int
  public var nbody: Int
  public var ngeom: Int
  public var nkey: Int
  public var bodies: [String]
  public var joints: [String]
  public var actuators: [String]
  public var sensors: [String]
  public var cameras: [String]
  public var warnings: [String]

  public init(_ model: Model) {
    let m = model.pointer.pointee
    timestep = model.timestep
    nq = model.nq
    nv = model.nv
    nu = model.nu
    nbody = model.nbody
    ngeom = model.ngeom
    nkey = model.nkey
    bodies = model.names(of: mjOBJ_BODY, count: Int(m.nbody))
    joints = model.names(of: mjOBJ_JOINT, count: Int(m.njnt))
    actuators = model.names(of: mjOBJ_ACTUATOR, count: Int(m.nu))
    sensors = model.names(of: mjOBJ_SENSOR, count: Int(m.nsensor))
    cameras = model.names(of: mjOBJ_CAMERA, count: Int(m.ncam))
    warnings = model.warnings
  }
}
