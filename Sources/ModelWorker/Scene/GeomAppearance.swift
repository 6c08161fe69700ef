import CMuJoCo
import MuJoCo

/// How MuJoCo's classic renderer colours a geom (`setMaterial` in `engine_vis_visualize.c`),
/// resolved here once so that no viewer gets it wrong: the material's colour and surface,
/// unless the geom's own `rgba` differs from the default (0.5, 0.5, 0.5, 1), which then wins;
/// without a material, the geom's `rgba` and the renderer's defaults.
struct GeomAppearance {
  var rgba: [Float]
  var material: Int
  var texture: Int
  var emission: Float = 0
  var specular: Float = 0.5
  var shininess: Float = 0.5
  var reflectance: Float = 0

  /// The default geom colour, which a material overrides.
  static let defaultRGBA: [Float] = [0.5, 0.5, 0.5, 1]

  init(_ model: Model, geom id: Int) {
    let m = model.pointer.pointee
    let own = m.geom_rgba.row(id, 4)
    let material = Int(m.geom_matid[id])
    self.material = material
    guard material >= 0, material < Int(m.nmat) else {
      self.material = -1
      rgba = own
      texture = -1
      return
    }
    rgba = own == Self.defaultRGBA ? m.mat_rgba.row(material, 4) : own
    texture = Self.colourTexture(model, material: material)
    emission = m.mat_emission[material]
    specular = m.mat_specular[material]
    shininess = m.mat_shininess[material]
    reflectance = m.mat_reflectance[material]
  }

  /// A material's colour texture: its RGB role, else its RGBA role; -1 when it has neither.
  static func colourTexture(_ model: Model, material: Int) -> Int {
    let m = model.pointer.pointee
    let roles = m.mat_texid.row(material, Int(mjNTEXROLE.rawValue))
    let rgb = Int(roles[Int(mjTEXROLE_RGB.rawValue)])
    let rgba = Int(roles[Int(mjTEXROLE_RGBA.rawValue)])
    let texture = rgb >= 0 ? rgb : rgba
    return texture < Int(m.ntex) ? texture : -1
  }
}
