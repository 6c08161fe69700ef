import CMuJoCo

/// MuJoCo's segmentation image, made to name model geoms: a pixel's RGB is the geom's id
/// plus one as `r + 256 g + 65536 b`, and 0 where no geom is (the background, and sites,
/// which are hidden). MuJoCo's own image names the scene's geoms in the order it drew them;
/// a browser viewer knows only the model's ids, so the worker translates.
enum GeomSegmentation {
  /// Hides sites, which a viewer's debug picture leaves out too.
  static func configure(_ option: UnsafeMutablePointer<mjvOption>) {
    withUnsafeMutableBytes(of: &option.pointee.sitegroup) {
      $0.initializeMemory(as: UInt8.self, repeating: 0)
    }
  }

  /// Turns on segmentation with colours that encode the scene geom's index (`IDCOLOR`).
  static func configure(_ scene: UnsafeMutablePointer<mjvScene>) {
    withUnsafeMutableBytes(of: &scene.pointee.flags) { flags in
      flags[Int(mjRND_SEGMENT.rawValue)] = 1
      flags[Int(mjRND_IDCOLOR.rawValue)] = 1
    }
  }

  /// Rewrites the scene-geom indices in `pixels` (RGB) as model geom ids plus one.
  static func name(_ pixels: inout [UInt8], scene: UnsafeMutablePointer<mjvScene>) {
    let count = Int(scene.pointee.ngeom)
    let geoms = scene.pointee.geoms
    for start in stride(from: 0, to: pixels.count - 2, by: 3) {
      let index =
        Int(pixels[start]) | Int(pixels[start + 1]) << 8 | Int(pixels[start + 2]) << 16
      var value = 0
      if index > 0, index <= count, let geoms {
        let geom = geoms[index - 1]
        if geom.objtype == Int32(mjOBJ_GEOM.rawValue) { value = Int(geom.objid) + 1 }
      }
      pixels[start] = UInt8(value & 0xff)
      pixels[start + 1] = UInt8(value >> 8 & 0xff)
      pixels[start + 2] = UInt8(value >> 16 & 0xff)
    }
  }
}
