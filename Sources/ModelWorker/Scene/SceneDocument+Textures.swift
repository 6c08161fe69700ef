import CMuJoCo
import MuJoCo
import Rendering

extension SceneDocument {
  /// Every texture as a PNG of its stored pixels. Built-in textures (checker, gradient) are
  /// already baked into `tex_data` by the compiler; cube and skybox textures are their six
  /// faces stacked. PNG rather than raw pixels: a tenth of the bytes for the usual checker
  /// and gradient, and browsers decode it off the main thread.
  static func textures(
    _ model: Model, into buffers: inout Buffers
  ) throws -> [SceneHeader.Texture] {
    let m = model.pointer.pointee
    return try (0..<Int(m.ntex)).map { id in
      let width = Int(m.tex_width[id])
      let height = Int(m.tex_height[id])
      let channels = Int(m.tex_nchannel[id])
      let start = Int(m.tex_adr[id])
      let size = width * height * channels
      var png: BufferReference?
      if start >= 0, size > 0, start + size <= Int(m.ntexdata) {
        let encoded = try ImageEncoder.png(
          pixels: UnsafeBufferPointer(start: m.tex_data + start, count: size), width: width,
          height: height, channels: channels)
        png = try buffers.append(encoded, as: .png)
      }
      return SceneHeader.Texture(
        id: id, name: model.name(of: mjOBJ_TEXTURE, id: id),
        type: MuJoCoNames.texture(m.tex_type[id]), width: width, height: height,
        nchannel: channels, colorspace: MuJoCoNames.colorSpace(m.tex_colorspace[id]), png: png)
    }
  }

  /// The first skybox texture, which MuJoCo draws around the scene, or -1.
  static func skybox(_ model: Model) -> Int {
    let m = model.pointer.pointee
    return (0..<Int(m.ntex)).first { m.tex_type[$0] == Int32(mjTEXTURE_SKYBOX.rawValue) } ?? -1
  }

  static func materials(_ model: Model) -> [SceneHeader.Material] {
    let m = model.pointer.pointee
    return (0..<Int(m.nmat)).map { id in
      SceneHeader.Material(
        id: id, name: model.name(of: mjOBJ_MATERIAL, id: id), rgba: m.mat_rgba.row(id, 4),
        emission: m.mat_emission[id], specular: m.mat_specular[id],
        shininess: m.mat_shininess[id], reflectance: m.mat_reflectance[id],
        metallic: m.mat_metallic[id], roughness: m.mat_roughness[id],
        texrepeat: m.mat_texrepeat.row(id, 2), texuniform: m.mat_texuniform[id],
        texture: GeomAppearance.colourTexture(model, material: id))
    }
  }
}
