import Foundation
import MuJoCo
import Workers

/// Keeps an MJCF model inside its project: every file it makes MuJoCo read (the model itself,
/// its includes, sub-models, meshes, textures, height fields, skins) must lie in `root`, even
/// through symbolic links.
///
/// A project's scene is untrusted (typed by a user, proposed by an LLM, downloaded), and the
/// tau worker that compiles it for rendering is shared and not sandboxed, so without this an
/// `<include file="/…/another-session/…/scene.xml"/>` would show another user's model.
///
/// MuJoCo resolves includes and asset files against the main file's folder, asset files through
/// the compiler's `meshdir`/`texturedir`/`assetdir`; a sub-model (`<asset><model file>`)
/// against its own folder. Every reference is checked against the main file's folder and its
/// own file's, with and without each compiler folder, so no reading of those rules lets one out.
/// A file this check cannot parse is refused: MuJoCo's more lenient parser could find
/// references in it that this one never saw.
///
/// Every file is read once, by `ConfinedFileReader` (which checks the file it opened, not the
/// path it was given), and `check` returns those bytes: MuJoCo compiles them from its virtual
/// file system, so a link swapped in between this check and MuJoCo's read changes nothing.
/// A name the check did not provide falls through to the disk relative to the worker's
/// working folder, which is an empty, deleted one (`ModelWorkerMain`), so it is not found.
struct MJCFConfinement {
  let root: URL
  private var reader: ConfinedFileReader
  /// The files read, by the name MuJoCo looks them up with: relative to the main file's folder.
  private var files: [String: Data] = [:]
  /// Every file read, by its path as written (links not followed), in the order read.
  private var paths: [String] = []
  /// The main file's folder, which names are relative to.
  private var top: URL = URL(fileURLWithPath: "/")

  /// A checked model: the main file's name and every file it reads, for MuJoCo's VFS.
  struct Checked {
    let mainFile: String
    let files: [String: Data]
    /// The main file's real path, for error messages.
    let path: String
    /// Every file read, as absolute paths: what to watch for changes.
    let paths: [String]
  }

  /// How many files one model may pull in (includes and sub-models), and how deep.
  static let maximumFiles = 1000
  static let maximumDepth = 32

  init(root: String) throws {
    guard let real = Self.realPath(root) else {
      throw WorkerRequestError("the project folder \(root) does not exist")
    }
    self.root = URL(fileURLWithPath: real, isDirectory: true)
    reader = ConfinedFileReader(root: self.root)
  }

  /// Throws a `CompileError` at the first reference that leaves the project; else the bytes
  /// of every file the model reads.
  mutating func check(modelFile: String) throws -> Checked {
    var seen = Set<String>()
    let main = try inside(modelFile, what: "the model file", at: nil)
    top = main.deletingLastPathComponent()
    try checkModel(main, depth: 0, seen: &seen)
    return Checked(mainFile: main.lastPathComponent, files: files, path: main.path, paths: paths)
  }

  /// One model (a main file or a sub-model) with its includes.
  private mutating func checkModel(_ main: URL, depth: Int, seen: inout Set<String>) throws {
    let base = main.deletingLastPathComponent()
    var references = MJCFReferenceScanner.References()
    var pending = [main]
    while let next = pending.popLast() {
      guard seen.insert(next.path).inserted else { continue }
      guard seen.count <= Self.maximumFiles else {
        throw CompileError(
          message: "the model pulls in more than \(Self.maximumFiles) files", file: main.path,
          line: nil)
      }
      let found = try MJCFReferenceScanner.scan(try readModelFile(next), of: next)
      references.merge(found)
      for include in found.includes {
        pending.append(try resolve(include, from: base, dirs: [], what: "include"))
      }
    }
    for dir in references.directories {
      try resolve(dir, from: base, dirs: [], what: "compiler folder")
    }
    let dirs = references.directories.map(\.value)
    for asset in references.assets {
      try resolve(asset, from: base, dirs: dirs, what: "file", imageBound: true)
    }
    for model in references.models {
      guard depth < Self.maximumDepth else {
        throw CompileError(
          message: "sub-models nest more than \(Self.maximumDepth) deep", file: model.file.path,
          line: model.line)
      }
      try checkModel(
        try resolve(model, from: base, dirs: dirs, what: "model"), depth: depth + 1, seen: &seen)
    }
  }

  /// The reference joined to `base`, and to `base` through each of `dirs`: every one of them
  /// must stay in the project, and each existing file is read. Returns the first (the path
  /// MuJoCo reads with no folder), as written.
  @discardableResult
  private mutating func resolve(
    _ reference: MJCFScannerReference, from base: URL, dirs: [String], what: String,
    imageBound: Bool = false
  ) throws -> URL {
    let value = reference.value
    guard !value.hasPrefix("/") else {
      throw CompileError(
        message: "the \(what) \"\(value)\" is an absolute path; models may only use the "
          + "project's own files, by relative paths",
        file: reference.file.path, line: reference.line)
    }
    // The folder of the file that names it, too (for an included file in another folder).
    let own = reference.file.deletingLastPathComponent()
    var first: URL?
    for folder in own.path == base.path ? [base] : [base, own] {
      for dir in [""] + dirs where !dir.hasPrefix("/") {
        let joined = folder.appendingPathComponent(dir).appendingPathComponent(value)
        try inside(joined.path, what: "the \(what) \"\(value)\"", at: reference)
        // As written (links not followed): the name MuJoCo looks the file up by.
        first = first ?? joined.standardizedFileURL
        // Files are read (compiler folders only checked); includes and sub-models are read
        // when they are scanned.
        guard what == "file" else { continue }
        if let data = try read(joined, what: "the \(what) \"\(value)\"", at: reference),
          imageBound
        {
          try Self.checkImageSize(data, reference: reference)
        }
      }
    }
    return first ?? base
  }

  /// `path` as the kernel resolves it (links followed) when it exists, else as written with
  /// `..` folded; either way it must be in the project.
  @discardableResult
  private func inside(_ path: String, what: String, at reference: MJCFScannerReference?) throws
    -> URL
  {
    let resolved = Self.realPath(path) ?? URL(fileURLWithPath: path).standardizedFileURL.path
    let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
    guard resolved.hasPrefix(rootPath) else {
      throw CompileError(
        message: "\(what) is outside the project; models may only use the project's own files",
        file: reference?.file.path ?? path, line: reference?.line)
    }
    return URL(fileURLWithPath: resolved)
  }

  /// A PNG that decodes to more pixels than a texture may have is refused before MuJoCo
  /// decodes it (a small file can hold a huge image).
  private static func checkImageSize(_ data: Data, reference: MJCFScannerReference) throws {
    guard let size = ModelBounds.pngSize(data),
      size.width * size.height > ModelBounds.maxTexturePixels
    else { return }
    throw CompileError(
      message: "the image \"\(reference.value)\" is \(size.width)x\(size.height) pixels, over the "
        + "limit of \(ModelBounds.maxTexturePixels) pixels (8192x8192) a model may use",
      file: reference.file.path, line: reference.line)
  }

  /// The main file, an include or a sub-model: read, kept for MuJoCo, and scanned.
  private mutating func readModelFile(_ url: URL) throws -> Data {
    guard let data = try read(url, what: "the file \"\(url.lastPathComponent)\"", at: nil) else {
      throw CompileError(message: "cannot read this file", file: url.path, line: nil)
    }
    return data
  }

  /// Reads `url` through the confined reader and keeps its bytes under the name MuJoCo will
  /// look it up by; nil when there is no such file (MuJoCo then says it is missing).
  private mutating func read(_ url: URL, what: String, at reference: MJCFScannerReference?)
    throws -> Data?
  {
    switch reader.read(url.path) {
    case .missing:
      return nil
    case .refused(let why):
      throw CompileError(
        message: "\(what) cannot be used: \(why); models may only use the project's own files",
        file: reference?.file.path ?? url.path, line: reference?.line)
    case .read(let data):
      let path = url.standardizedFileURL.path
      if !paths.contains(path) { paths.append(path) }
      let prefix = top.path.hasSuffix("/") ? top.path : top.path + "/"
      if path.hasPrefix(prefix) { files[String(path.dropFirst(prefix.count))] = data }
      return data
    }
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

typealias MJCFScannerReference = MJCFReferenceScanner.Reference
