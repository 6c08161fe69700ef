/// A compiled model's parts, as the IDE's model inspector shows them (a tau worker's answer
/// to `inspect`, served as `GET /api/projects/{id}/model`).
///
/// Bodies are listed by id with their parent and children ids, so a client draws the tree
/// from `bodies[0]` (the world, whose parent is -1). Types are MuJoCo's enum names in lower
/// case without their prefix (`hinge`, `joint`, `framepos`); ranges that MuJoCo does not
/// enforce (`limited` false) are null. The JSON keys are this file's coding keys.
public struct ModelTree: Codable, Equatable, Sendable {
  public var counts: Counts
  public var bodies: [Body]
  public var actuators: [Actuator]
  public var sensors: [Sensor]
  public var cameras: [Camera]
  public var lights: [Light]
  public var keyframes: [Keyframe]

  public init(
    counts: Counts, bodies: [Body], actuators: [Actuator], sensors: [Sensor],
    cameras: [Camera], lights: [Light], keyframes: [Keyframe]
  ) {
    self.counts = counts
    self.bodies = bodies
    self.actuators = actuators
    self.sensors = sensors
    self.cameras = cameras
    self.lights = lights
    self.keyframes = keyframes
  }

  /// The model's sizes (`nu` counts scalar controls, `nactuator` actuators: since MuJoCo 4
  /// one actuator may take several controls).
  public struct Counts: Codable, Equatable, Sendable {
    public var nq: Int
    public var nv: Int
    public var nu: Int
    public var na: Int
    public var nactuator: Int
    public var nbody: Int
    public var njnt: Int
    public var ngeom: Int
    public var nsite: Int
    public var nsensor: Int
    public var ncam: Int
    public var nlight: Int
    public var nkey: Int
    public var nmesh: Int

    public init(
      nq: Int, nv: Int, nu: Int, na: Int, nactuator: Int, nbody: Int, njnt: Int, ngeom: Int,
      nsite: Int, nsensor: Int, ncam: Int, nlight: Int, nkey: Int, nmesh: Int
    ) {
      self.nq = nq
      self.nv = nv
      self.nu = nu
      self.na = na
      self.nactuator = nactuator
      self.nbody = nbody
      self.njnt = njnt
      self.ngeom = ngeom
      self.nsite = nsite
      self.nsensor = nsensor
      self.ncam = ncam
      self.nlight = nlight
      self.nkey = nkey
      self.nmesh = nmesh
    }
  }

  public struct Body: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    /// -1 for the world.
    public var parent: Int
    public var children: [Int]
    public var mass: Double
    public var joints: [Joint]
    public var geoms: [Part]
    public var sites: [Part]

    public init(
      id: Int, name: String, parent: Int, children: [Int], mass: Double, joints: [Joint],
      geoms: [Part], sites: [Part]
    ) {
      self.id = id
      self.name = name
      self.parent = parent
      self.children = children
      self.mass = mass
      self.joints = joints
      self.geoms = geoms
      self.sites = sites
    }
  }

  public struct Joint: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    /// `free`, `ball`, `slide` or `hinge`.
    public var type: String
    /// [lower, upper] when the joint is limited, else null.
    public var range: [Double]?
    public var qposadr: Int
    public var dofadr: Int

    public init(id: Int, name: String, type: String, range: [Double]?, qposadr: Int, dofadr: Int) {
      self.id = id
      self.name = name
      self.type = type
      self.range = range
      self.qposadr = qposadr
      self.dofadr = dofadr
    }

    enum CodingKeys: String, CodingKey { case id, name, type, range, qposadr, dofadr }

    /// `range` is written as null when absent, so every joint has the same keys.
    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(name, forKey: .name)
      try container.encode(type, forKey: .type)
      try container.encode(range, forKey: .range)
      try container.encode(qposadr, forKey: .qposadr)
      try container.encode(dofadr, forKey: .dofadr)
    }
  }

  /// A geom or a site: its id, name and (for geoms) type.
  public struct Part: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var type: String?

    public init(id: Int, name: String, type: String? = nil) {
      self.id = id
      self.name = name
      self.type = type
    }
  }

  public struct Actuator: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    /// The transmission: `joint`, `jointinparent`, `slidercrank`, `tendon`, `site`, `body`...
    public var trntype: String
    /// What it acts on (the joint, tendon, site or body), by name and kind.
    public var target: String
    public var targetType: String
    /// Its first control (`ctrladr`) and how many it takes.
    public var ctrladr: Int
    public var ctrlnum: Int
    /// [lower, upper] of its first control when limited, else null.
    public var ctrlrange: [Double]?
    public var forcerange: [Double]?
    /// The gear of its first force output (6 numbers).
    public var gear: [Double]

    public init(
      id: Int, name: String, trntype: String, target: String, targetType: String, ctrladr: Int,
      ctrlnum: Int, ctrlrange: [Double]?, forcerange: [Double]?, gear: [Double]
    ) {
      self.id = id
      self.name = name
      self.trntype = trntype
      self.target = target
      self.targetType = targetType
      self.ctrladr = ctrladr
      self.ctrlnum = ctrlnum
      self.ctrlrange = ctrlrange
      self.forcerange = forcerange
      self.gear = gear
    }

    enum CodingKeys: String, CodingKey {
      case id, name, trntype, target, ctrladr, ctrlnum, ctrlrange, forcerange, gear
      case targetType = "target_type"
    }

    /// Absent ranges are written as null, so every actuator has the same keys.
    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(name, forKey: .name)
      try container.encode(trntype, forKey: .trntype)
      try container.encode(target, forKey: .target)
      try container.encode(targetType, forKey: .targetType)
      try container.encode(ctrladr, forKey: .ctrladr)
      try container.encode(ctrlnum, forKey: .ctrlnum)
      try container.encode(ctrlrange, forKey: .ctrlrange)
      try container.encode(forcerange, forKey: .forcerange)
      try container.encode(gear, forKey: .gear)
    }
  }

  public struct Sensor: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    /// `touch`, `jointpos`, `framepos`...
    public var type: String
    /// The sensed object by name and kind (`site`, `joint`, `body`...); empty for sensors of
    /// the whole model (`clock`, `e_potential`...).
    public var object: String
    public var objectType: String
    public var dim: Int

    public init(
      id: Int, name: String, type: String, object: String, objectType: String, dim: Int
    ) {
      self.id = id
      self.name = name
      self.type = type
      self.object = object
      self.objectType = objectType
      self.dim = dim
    }

    enum CodingKeys: String, CodingKey {
      case id, name, type, object, dim
      case objectType = "object_type"
    }
  }

  public struct Camera: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var body: Int
    /// `fixed`, `track`, `trackcom`, `targetbody` or `targetbodycom`.
    public var mode: String
    public var fovy: Double

    public init(id: Int, name: String, body: Int, mode: String, fovy: Double) {
      self.id = id
      self.name = name
      self.body = body
      self.mode = mode
      self.fovy = fovy
    }
  }

  public struct Light: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var body: Int
    /// `spot`, `directional`, `point` or `image`.
    public var type: String
    public var mode: String

    public init(id: Int, name: String, body: Int, type: String, mode: String) {
      self.id = id
      self.name = name
      self.body = body
      self.type = type
      self.mode = mode
    }
  }

  public struct Keyframe: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var time: Double

    public init(id: Int, name: String, time: Double) {
      self.id = id
      self.name = name
      self.time = time
    }
  }
}
