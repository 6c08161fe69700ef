import CMuJoCo
import Foundation

/// A compiled MuJoCo model (`mjModel`), freed when the last reference goes.
///
/// Compile from a file (includes, meshes and textures resolve relative to it)
/// or from XML text plus an assets folder. Compile problems become a typed
/// `CompileError`; MuJoCo's warnings stay on the model in `warnings`.
///
/// Unchecked Sendable: MuJoCo only reads an `mjModel` while simulating or rendering, and the
/// few writes (a renderer's quality preset) happen in the one request that made the model.
public final class Model: @unchecked Sendable {
  public let pointer: UnsafeMutablePointer<mjModel>
  /// Warnings MuJoCo raised while compiling (empty when none).
  public let warnings: [String]

  private init(pointer: UnsafeMutablePointer<mjModel>, warnings: [String]) {
    self.pointer = pointer
    self.warnings = warnings
  }

  deinit { mj_deleteModel(pointer) }

  /// Compiles the MJCF file at `path`.
  public convenience init(contentsOf path: String) throws {
    guard FileManager.default.fileExists(atPath: path) else {
      throw CompileError(message: "model file not found", file: path, line: nil)
    }
    try self.init(
      compiling: { error, size in mj_parseXML(path, nil, error, size) },
      vfs: nil, modelFile: path)
  }

  /// Compiles MJCF text; files it references are looked up in `assetsDirectory`.
  public convenience init(xml: String, assetsDirectory: String? = nil) throws {
    let vfs = UnsafeMutablePointer<mjVFS>.allocate(capacity: 1)
    mj_defaultVFS(vfs)
    defer {
      mj_deleteVFS(vfs)
      vfs.deallocate()
    }
    if let assetsDirectory {
      for relative in Self.files(under: assetsDirectory) {
        _ = mj_addFileVFS(vfs, assetsDirectory, relative)
      }
    }
    try self.init(
      compiling: { error, size in mj_parseXMLString(xml, vfs, error, size) },
      vfs: vfs, modelFile: nil)
  }

  /// Compiles the model `mainFile` from `files` alone (names relative to the main file's
  /// folder, as MuJoCo looks them up): MuJoCo's virtual file system holds exactly these
  /// bytes, so a file changed or swapped on disk after they were read changes nothing.
  /// `modelFile` names the main file in errors.
  public convenience init(mainFile: String, files: [String: Data], modelFile: String) throws {
    let vfs = UnsafeMutablePointer<mjVFS>.allocate(capacity: 1)
    mj_defaultVFS(vfs)
    defer {
      mj_deleteVFS(vfs)
      vfs.deallocate()
    }
    for (name, data) in files {
      let added = data.withUnsafeBytes { bytes in
        mj_addBufferVFS(vfs, name, bytes.baseAddress, Int32(bytes.count))
      }
      // 2: the name is there already (two readings of one file); anything else is a failure.
      guard added == 0 || added == 2 else {
        throw CompileError(
          message: "could not hold \(name) for compiling", file: modelFile, line: nil)
      }
    }
    try self.init(
      compiling: { error, size in mj_parseXML(mainFile, vfs, error, size) },
      vfs: vfs, modelFile: modelFile)
  }

  private init(
    compiling parse: (UnsafeMutablePointer<CChar>, Int32) -> UnsafeMutablePointer<mjSpec>?,
    vfs: UnsafeMutablePointer<mjVFS>?, modelFile: String?
  ) throws {
    var error = [CChar](repeating: 0, count: 2048)
    guard let spec = parse(&error, Int32(error.count)) else {
      throw CompileError(mujocoMessage: String(cBuffer: error), modelFile: modelFile)
    }
    defer { mj_deleteSpec(spec) }
    try ModelBounds.check(spec, modelFile: modelFile)
    guard let model = mj_compile(spec, vfs) else {
      let message = mjs_getError(spec).map { String(cString: $0) } ?? "compilation failed"
      throw CompileError(mujocoMessage: message, modelFile: modelFile)
    }
    let count = Int(mjs_numWarnings(spec))
    let warnings = (0..<count).compactMap { index in
      mjs_getWarning(spec, Int32(index)).map { String(cString: $0) }
    }
    self.pointer = model
    self.warnings = warnings
  }

  /// Paths of regular files under `root`, relative to it, for the VFS.
  private static func files(under root: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let full = (root as NSString).appendingPathComponent(relative)
      if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        files.append(relative)
      }
    }
    return files
  }

  /// Bytes the compiled model holds: its buffer, textures and height fields included.
  public var byteSize: Int { Int(pointer.pointee.nbuffer) }

  public var timestep: Double { pointer.pointee.opt.timestep }
  public var nq: Int { Int(pointer.pointee.nq) }
  public var nv: Int { Int(pointer.pointee.nv) }
  public var nu: Int { Int(pointer.pointee.nu) }
  public var nbody: Int { Int(pointer.pointee.nbody) }
  public var ngeom: Int { Int(pointer.pointee.ngeom) }
  public var nkey: Int { Int(pointer.pointee.nkey) }

  /// The name of object `id` of `type` (empty when unnamed).
  public func name(of type: mjtObj, id: Int) -> String {
    mj_id2name(pointer, Int32(type.rawValue), Int32(id)).map { String(cString: $0) } ?? ""
  }

  /// The id of the object of `type` called `name`, or nil.
  public func id(of type: mjtObj, named name: String) -> Int? {
    let id = mj_name2id(pointer, Int32(type.rawValue), name)
    return id < 0 ? nil : Int(id)
  }

  /// Names of all objects of `type`, in id order.
  public func names(of type: mjtObj, count: Int) -> [String] {
    (0..<count).map { name(of: type, id: $0) }
  }

}
