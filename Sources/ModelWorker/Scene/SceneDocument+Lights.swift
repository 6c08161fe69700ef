import CMuJoCo
import MuJoCo

extension SceneDocument {
  static func lights(
    _ model: Model, _ data: SimulationData, moving: Motion
  ) -> [SceneHeader.Light] {
    let m = model.pointer.pointee
    let d = data.pointer.pointee
    return (0..<Int(m.nlight)).map { id in
      let body = Int(m.light_bodyid[id])
      let target = Int(m.light_targetbodyid[id])
      return SceneHeader.Light(
        id: id, name: model.name(of: mjOBJ_LIGHT, id: id), body: body,
        type: MuJoCoNames.light(m.light_type[id]),
        directional: m.light_type[id] == Int32(mjLIGHT_DIRECTIONAL.rawValue),
        castshadow: m.light_castshadow[id], active: m.light_active[id],
        pos: m.light_pos.row(id, 3), dir: m.light_dir.row(id, 3), xpos: d.light_xpos.row(id, 3),
        xdir: d.light_xdir.row(id, 3), ambient: m.light_ambient.row(id, 3),
        diffuse: m.light_diffuse.row(id, 3), specular: m.light_specular.row(id, 3),
        attenuation: m.light_attenuation.row(id, 3), cutoff: m.light_cutoff[id],
        exponent: m.light_exponent[id], intensity: m.light_intensity[id],
        range: m.light_range[id], bulbradius: m.light_bulbradius[id],
        mode: MuJoCoNames.trackingMode(m.light_mode[id]), target: target,
        moving: moves(mode: m.light_mode[id], body: body, target: target, moving))
    }
  }

  static func cameras(
    _ model: Model, _ data: SimulationData, moving: Motion
  ) -> [SceneHeader.Camera] {
    let m = model.pointer.pointee
    let d = data.pointer.pointee
    return (0..<Int(m.ncam)).map { id in
      let body = Int(m.cam_bodyid[id])
      let target = Int(m.cam_targetbodyid[id])
      var quat = [Double](repeating: 0, count: 4)
      var rotation = d.cam_xmat.row(id, 9)
      mju_mat2Quat(&quat, &rotation)
      return SceneHeader.Camera(
        id: id, name: model.name(of: mjOBJ_CAMERA, id: id), body: body,
        mode: MuJoCoNames.trackingMode(m.cam_mode[id]), target: target,
        pos: m.cam_pos.row(id, 3), quat: m.cam_quat.row(id, 4), xpos: d.cam_xpos.row(id, 3),
        xquat: quat, fovy: m.cam_fovy[id], ipd: m.cam_ipd[id],
        projection: MuJoCoNames.projection(m.cam_projection[id]),
        resolution: m.cam_resolution.row(id, 2).map(Int.init),
        moving: moves(mode: m.cam_mode[id], body: body, target: target, moving))
    }
  }

  /// Whether a light or camera can move: its body does, or its tracking mode follows a
  /// sub-tree's centre or a target that does (so a `trackcom` light on the world moves with
  /// the robot below it).
  private static func moves(mode: Int32, body: Int, target: Int, _ moving: Motion) -> Bool {
    let bodyMoves = moving.body.indices.contains(body) && moving.body[body]
    let targetMoves = moving.body.indices.contains(target) && moving.body[target]
    let targetTreeMoves = moving.subtree.indices.contains(target) && moving.subtree[target]
    switch UInt32(max(mode, 0)) {
    case mjCAMLIGHT_TRACKCOM.rawValue:
      return moving.subtree.indices.contains(body) && moving.subtree[body]
    case mjCAMLIGHT_TARGETBODY.rawValue: return bodyMoves || targetMoves
    case mjCAMLIGHT_TARGETBODYCOM.rawValue: return bodyMoves || targetTreeMoves
    default: return bodyMoves
    }
  }
}
