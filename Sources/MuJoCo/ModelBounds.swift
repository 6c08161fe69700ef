import CMuJoCo
import Foundation

/// The largest textures and height fields a model may declare, checked on the parsed spec
/// before it is compiled: compiling allocates them whole, so a few attributes
/// (`width="16384"`, `nrow="20000"`) would otherwise take gigabytes of a shared worker.
/// The python worker checks the same numbers (`python/tau_env/model_bounds.py`;
/// `ModelBoundsTests` holds them equal).
public enum ModelBounds {
  /// Pixels of one texture (all six faces of a cube count): 8192 x 8192.
  public static let maxTexturePixels = 8192 * 8192
  /// Samples of one height field: 4096 x 4096.
  public static let maxHeightFieldSamples = 4096 * 4096

  /// What is wrong with a texture of this size, or nil when it is within the bound.
  public static func texture(name: String, width: Int, height: Int, faces: Int) -> String? {
    guard max(0, width) * max(0, height) * faces > maxTexturePixels else { return nil }
    return "texture \(name) is \(width)x\(height) pixels" + (faces > 1 ? " per face" : "")
      + ", over the limit of \(maxTexturePixels) pixels (8192x8192) a model may declare"
  }

  /// What is wrong with a height field of this size, or nil when it is within the bound.
  public static func heightField(name: String, rows: Int, columns: Int) -> String? {
    guard max(0, rows) * max(0, columns) > maxHeightFieldSamples else { return nil }
    return "height field \(name) is \(rows)x\(columns) samples, over the limit of "
      + "\(maxHeightFieldSamples) samples (4096x4096) a model may declare"
  }

  /// Throws a `CompileError` naming the first texture or height field over its bound. Parsing
  /// itself allocates a height field's samples, so a model whose text is not checked first
  /// (`MJCFReferenceScanner` checks a project's) may still cost that much once.
  static func check(_ spec: UnsafeMutablePointer<mjSpec>, modelFile: String?) throws {
    var element = mjs_firstElement(spec, mjOBJ_TEXTURE)
    while let current = element {
      if let texture = mjs_asTexture(current)?.pointee {
        let faces = texture.type == mjTEXTURE_CUBE || texture.type == mjTEXTURE_SKYBOX ? 6 : 1
        if let problem = Self.texture(
          name: name(of: current), width: Int(texture.width), height: Int(texture.height),
          faces: faces)
        {
          throw CompileError(message: problem, file: modelFile, line: nil)
        }
      }
      element = mjs_nextElement(spec, current)
    }
    element = mjs_firstElement(spec, mjOBJ_HFIELD)
    while let current = element {
      if let field = mjs_asHField(current)?.pointee,
        let problem = heightField(
          name: name(of: current), rows: Int(field.nrow), columns: Int(field.ncol))
      {
        throw CompileError(message: problem, file: modelFile, line: nil)
      }
      element = mjs_nextElement(spec, current)
    }
  }

  /// Width and height of a PNG from its header, or nil when `data` is not a PNG.
  public static func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, Array(bytes[0..<8]) == signature else { return nil }
    func word(_ offset: Int) -> Int {
      bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    }
    return (word(16), word(20))
  }

  private static func name(of element: UnsafeMutablePointer<mjsElement>) -> String {
    let name = mjs_getName(element).map { String(cString: mjs_getString($0)) } ?? ""
    return displayName(name)
  }

  /// An element's name as messages show it.
  public static func displayName(_ name: String?) -> String {
    guard let name, !name.isEmpty else { return "(unnamed)" }
    return String(reflecting: name)
  }
}
