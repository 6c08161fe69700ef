/// What a model holds, as the IDE and `tau validate --json` show it (a tau worker's
/// answer to `load`).
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

  public init(
    timestep: Double, nq: Int, nv: Int, nu: Int, nbody: Int, ngeom: Int, nkey: Int,
    bodies: [String], joints: [String], actuators: [String], sensors: [String],
    cameras: [String], warnings: [String]
  ) {
    self.timestep = timestep
    self.nq = nq
    self.nv = nv
    self.nu = nu
    self.nbody = nbody
    self.ngeom = ngeom
    self.nkey = nkey
    self.bodies = bodies
    self.joints = joints
    self.actuators = actuators
    self.sensors = sensors
    self.cameras = cameras
    self.warnings = warnings
  }
}
