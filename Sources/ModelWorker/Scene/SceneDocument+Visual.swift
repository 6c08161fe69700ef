import CMuJoCo
import MuJoCo

extension SceneDocument {
  /// What `<visual>` says about the free camera, the headlight, clipping, shadows and fog.
  static func visual(_ model: Model) -> SceneHeader.Visual {
    let v = model.pointer.pointee.vis
    return SceneHeader.Visual(
      global: .init(
        fovy: v.global.fovy, azimuth: v.global.azimuth, elevation: v.global.elevation,
        ipd: v.global.ipd, orthographic: v.global.orthographic != 0,
        cameraid: Int(v.global.cameraid)),
      headlight: .init(
        ambient: triple(v.headlight.ambient), diffuse: triple(v.headlight.diffuse),
        specular: triple(v.headlight.specular), active: Int(v.headlight.active)),
      map: .init(
        znear: v.map.znear, zfar: v.map.zfar, shadowclip: v.map.shadowclip,
        shadowscale: v.map.shadowscale, stiffness: v.map.stiffness,
        stiffnessrot: v.map.stiffnessrot, fogstart: v.map.fogstart, fogend: v.map.fogend,
        haze: v.map.haze, alpha: v.map.alpha),
      quality: .init(
        shadowsize: Int(v.quality.shadowsize), offsamples: Int(v.quality.offsamples)),
      rgba: .init(fog: quadruple(v.rgba.fog), haze: quadruple(v.rgba.haze)))
  }

  /// Sizes of the model at qpos0, which the free camera is placed from.
  static func statistic(_ model: Model) -> SceneHeader.Statistic {
    let s = model.pointer.pointee.stat
    return SceneHeader.Statistic(
      center: [s.center.0, s.center.1, s.center.2], extent: s.extent, meansize: s.meansize,
      meanmass: s.meanmass)
  }

  private static func triple(_ value: (Float, Float, Float)) -> [Float] {
    [value.0, value.1, value.2]
  }

  private static func quadruple(_ value: (Float, Float, Float, Float)) -> [Float] {
    [value.0, value.1, value.2, value.3]
  }
}
