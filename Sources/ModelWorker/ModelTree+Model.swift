import CMuJoCo
import MuJoCo
import Workers

extension ModelTree {
  /// The inspector's view of a compiled model. Numbers that are not finite (a range written
  /// as 1e400) become null or 0, since JSON has no infinity and the tree travels as JSON.
  init(_ model: Model) {
    let m = model.pointer.pointee
    let name = { (type: mjtObj, id: Int) in model.name(of: type, id: id) }
    let nbody = Int(m.nbody)

    var children = [[Int]](repeating: [], count: nbody)
    for body in 1..<max(nbody, 1) { children[Int(m.body_parentid[body])].append(body) }
    var joints = [[Joint]](repeating: [], count: nbody)
    for id in 0..<Int(m.njnt) {
      joints[Int(m.jnt_bodyid[id])].append(
        Joint(
          id: id, name: name(mjOBJ_JOINT, id), type: MuJoCoNames.joint(m.jnt_type[id]),
          range: m.jnt_limited[id] ? Self.range(m.jnt_range, id) : nil,
          qposadr: Int(m.jnt_qposadr[id]), dofadr: Int(m.jnt_dofadr[id])))
    }
    var geoms = [[Part]](repeating: [], count: nbody)
    for id in 0..<Int(m.ngeom) {
      geoms[Int(m.geom_bodyid[id])].append(
        Part(id: id, name: name(mjOBJ_GEOM, id), type: MuJoCoNames.geom(m.geom_type[id])))
    }
    var sites = [[Part]](repeating: [], count: nbody)
    for id in 0..<Int(m.nsite) {
      sites[Int(m.site_bodyid[id])].append(Part(id: id, name: name(mjOBJ_SITE, id)))
    }
    let bodies = (0..<nbody).map { id in
      Body(
        id: id, name: name(mjOBJ_BODY, id), parent: id == 0 ? -1 : Int(m.body_parentid[id]),
        children: children[id], mass: Self.finite(m.body_mass[id]), joints: joints[id],
        geoms: geoms[id], sites: sites[id])
    }

    self.init(
      counts: Counts(
        nq: Int(m.nq), nv: Int(m.nv), nu: Int(m.nu), na: Int(m.na), nactuator: Int(m.nactuator),
        nbody: nbody, njnt: Int(m.njnt), ngeom: Int(m.ngeom), nsite: Int(m.nsite),
        nsensor: Int(m.nsensor), ncam: Int(m.ncam), nlight: Int(m.nlight), nkey: Int(m.nkey),
        nmesh: Int(m.nmesh)),
      bodies: bodies, actuators: Self.actuators(model), sensors: Self.sensors(model),
      cameras: (0..<Int(m.ncam)).map { id in
        Camera(
          id: id, name: name(mjOBJ_CAMERA, id), body: Int(m.cam_bodyid[id]),
          mode: MuJoCoNames.trackingMode(m.cam_mode[id]), fovy: Self.finite(m.cam_fovy[id]))
      },
      lights: (0..<Int(m.nlight)).map { id in
        Light(
          id: id, name: name(mjOBJ_LIGHT, id), body: Int(m.light_bodyid[id]),
          type: MuJoCoNames.light(m.light_type[id]),
          mode: MuJoCoNames.trackingMode(m.light_mode[id]))
      },
      keyframes: (0..<Int(m.nkey)).map { id in
        Keyframe(id: id, name: name(mjOBJ_KEY, id), time: Self.finite(m.key_time[id]))
      })
  }

  /// Since MuJoCo 4 an actuator takes `ctrlnum` controls from `ctrladr` and drives `outnum`
  /// outputs from `outadr`; the inspector shows the first of each.
  private static func actuators(_ model: Model) -> [Actuator] {
    let m = model.pointer.pointee
    return (0..<Int(m.nactuator)).map { id in
      let control = Int(m.actuator_ctrladr[id])
      let output = Int(m.actuator_outadr[id])
      let hasControl = control >= 0 && control < Int(m.nu)
      let (targetType, target) = transmissionTarget(model, actuator: id)
      return Actuator(
        id: id, name: model.name(of: mjOBJ_ACTUATOR, id: id),
        trntype: MuJoCoNames.transmission(m.actuator_trntype[id]), target: target,
        targetType: targetType, ctrladr: control, ctrlnum: Int(m.actuator_ctrlnum[id]),
        ctrlrange: hasControl && m.actuator_ctrllimited[control]
          ? range(m.actuator_ctrlrange, control) : nil,
        forcerange: m.actuator_forcelimited[id] ? range(m.actuator_forcerange, id) : nil,
        gear: output >= 0 && output < Int(m.nout)
          ? (0..<6).map { finite(m.actuator_gear[6 * output + $0]) } : [])
    }
  }

  /// The kind and name of what an actuator's transmission acts on.
  private static func transmissionTarget(_ model: Model, actuator id: Int) -> (String, String) {
    let m = model.pointer.pointee
    let target = Int(m.actuator_trnid[2 * id])
    let type: mjtObj
    switch UInt32(max(m.actuator_trntype[id], 0)) {
    case mjTRN_JOINT.rawValue, mjTRN_JOINTINPARENT.rawValue, mjTRN_SO3.rawValue:
      type = mjOBJ_JOINT
    case mjTRN_TENDON.rawValue: type = mjOBJ_TENDON
    case mjTRN_SITE.rawValue, mjTRN_SLIDERCRANK.rawValue: type = mjOBJ_SITE
    case mjTRN_BODY.rawValue: type = mjOBJ_BODY
    default: return ("", "")
    }
    guard target >= 0 else { return (MuJoCoNames.object(Int32(type.rawValue)), "") }
    return (MuJoCoNames.object(Int32(type.rawValue)), model.name(of: type, id: target))
  }

  private static func sensors(_ model: Model) -> [Sensor] {
    let m = model.pointer.pointee
    return (0..<Int(m.nsensor)).map { id in
      let objectType = m.sensor_objtype[id]
      let object = Int(m.sensor_objid[id])
      let known = objectType > Int32(mjOBJ_UNKNOWN.rawValue) && object >= 0
      return Sensor(
        id: id, name: model.name(of: mjOBJ_SENSOR, id: id),
        type: MuJoCoNames.sensor(m.sensor_type[id]),
        object: known ? model.name(of: mjtObj(UInt32(objectType)), id: object) : "",
        objectType: known ? MuJoCoNames.object(objectType) : "", dim: Int(m.sensor_dim[id]))
    }
  }

  /// Row `index` of an n x 2 range array; nil when either end is not finite.
  private static func range(_ values: UnsafeMutablePointer<Double>, _ index: Int) -> [Double]? {
    let range = [values[2 * index], values[2 * index + 1]]
    return range.allSatisfy(\.isFinite) ? range : nil
  }

  private static func finite(_ value: Double) -> Double { value.isFinite ? value : 0 }
}
