import CMuJoCo
import Foundation
import MuJoCo
import Workers

extension SceneDocument {
  /// The scene document of a compiled model. `files`: what compiling it read, passed on for
  /// the server's cache. Throws `SceneDocumentError.tooLarge` past `maximumBytes`.
  static func make(_ model: Model, files: [String]) throws -> EncodedScene {
    let m = model.pointer.pointee
    // World frames at qpos0: kinematics, sub-tree centres and cameras/lights only, no
    // dynamics (a scene that diverges at once still has its first pose).
    let data = SimulationData(model: model)
    data.reset()
    mj_kinematics(model.pointer, data.pointer)
    mj_comPos(model.pointer, data.pointer)
    mj_camlight(model.pointer, data.pointer)

    let moving = movingBodies(model)
    var buffers = Buffers()
    // The header's share, counted early (at least this much: a part takes 200-600 bytes),
    // so an oversized model stops before all its buffers are made.
    buffers.reserved = 200 * Int(m.nbody + m.ngeom + m.nmesh + m.ntex + m.nmat + m.nlight)
    let epoch = ModelEpoch.of(model)
    let header = SceneHeader(
      epoch: epoch, model: modelName(model),
      bodies: bodies(model, data, moving: moving), geoms: geoms(model),
      meshes: try meshes(model, into: &buffers),
      hfields: try heightFields(model, into: &buffers),
      textures: try textures(model, into: &buffers), materials: materials(model),
      lights: lights(model, data, moving: moving), cameras: cameras(model, data, moving: moving),
      skybox: skybox(model), visual: visual(model), statistic: statistic(model))
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys]
    // JSON has no infinity; MuJoCo writes none in these fields, but a model could.
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let document = try encode(header: try encoder.encode(header), buffers: buffers.data)
    return EncodedScene(epoch: epoch, files: files, data: document)
  }

  private static func modelName(_ model: Model) -> String {
    guard let names = model.pointer.pointee.names else { return "" }
    return String(cString: names)
  }

  /// Which bodies can move, and which have a moving body in their sub-tree (for lights and
  /// cameras that track a sub-tree's centre of mass).
  struct Motion {
    var body: [Bool]
    var subtree: [Bool]
  }

  static func movingBodies(_ model: Model) -> Motion {
    let m = model.pointer.pointee
    let count = Int(m.nbody)
    // A body welded to the world has weld id 0; a mocap body is its own weld root.
    let body = (0..<count).map { $0 > 0 && (m.body_weldid[$0] != 0 || m.body_mocapid[$0] >= 0) }
    var subtree = body
    // Parents come before children in MuJoCo's order, so one backward pass carries it up.
    for id in stride(from: count - 1, to: 0, by: -1) where subtree[id] {
      subtree[Int(m.body_parentid[id])] = true
    }
    return Motion(body: body, subtree: subtree)
  }

  private static func bodies(
    _ model: Model, _ data: SimulationData, moving: Motion
  ) -> [SceneHeader.Body] {
    let m = model.pointer.pointee
    let d = data.pointer.pointee
    return (0..<Int(m.nbody)).map { id in
      SceneHeader.Body(
        id: id, name: model.name(of: mjOBJ_BODY, id: id),
        parent: id == 0 ? -1 : Int(m.body_parentid[id]), moving: moving.body[id],
        mocap: m.body_mocapid[id] >= 0, mass: m.body_mass[id], pos: d.xpos.row(id, 3),
        quat: d.xquat.row(id, 4), localPos: m.body_pos.row(id, 3),
        localQuat: m.body_quat.row(id, 4))
    }
  }

  private static func geoms(_ model: Model) -> [SceneHeader.Geom] {
    let m = model.pointer.pointee
    return (0..<Int(m.ngeom)).map { id in
      let type = m.geom_type[id]
      let dataID = Int(m.geom_dataid[id])
      let isMesh = type == Int32(mjGEOM_MESH.rawValue) || type == Int32(mjGEOM_SDF.rawValue)
      let isHeightField = type == Int32(mjGEOM_HFIELD.rawValue)
      let look = GeomAppearance(model, geom: id)
      return SceneHeader.Geom(
        id: id, name: model.name(of: mjOBJ_GEOM, id: id), body: Int(m.geom_bodyid[id]),
        type: MuJoCoNames.geom(type), size: m.geom_size.row(id, 3), pos: m.geom_pos.row(id, 3),
        quat: m.geom_quat.row(id, 4), group: Int(m.geom_group[id]), rgba: look.rgba,
        material: look.material, texture: look.texture, emission: look.emission,
        specular: look.specular, shininess: look.shininess, reflectance: look.reflectance,
        mesh: isMesh && dataID < Int(m.nmesh) ? dataID : -1,
        hfield: isHeightField && dataID < Int(m.nhfield) ? dataID : -1)
    }
  }
}
