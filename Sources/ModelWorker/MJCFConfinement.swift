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
/// references in it that this one never saw. A link swapped in between this check and MuJoCo's
/// read is not caught here; sandboxed projects cannot plant links outside their own folder.
struct MJCFConfinement {
  let root: URL

  /// How many files one model may pull in (includes and sub-models), and how deep.
  static let maximumFiles = 1000
  static let maximumDepth = 32

  init(root: String) throws {
    guard let real = Self.realPath(root) else {
      throw WorkerRequestError("the project folder \(root) does not exist")
    }
    self.root = URL(fileURLWithPath: real, isDirectory: true)
  }

  /// Throws a `CompileError` at the first reference that leaves the project.
  func check(modelFile: String) throws {
    var seen = Set<String>()
    let main = try inside(modelFile, what: "the model file", at: nil)
    try checkModel(main, depth: 0, seen: &seen)
  }

  /// One model (a main file or a sub-model) with its includes.
  private func checkModel(_ main: URL, depth: Int, seen: inout Set<String>) throws {
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
      let found = try MJCFReferenceScanner.scan(next)
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
  /// must stay in the project. Returns the first (the path MuJoCo reads with no folder).
  @discardableResult
  private func resolve(
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
        let url = try inside(
          folder.appendingPathComponent(dir).appendingPathComponent(value).path,
          what: "the \(what) \"\(value)\"", at: reference)
        if imageBound { try Self.checkImageSize(url, reference: reference) }
        first = first ?? url
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
  private static func checkImageSize(_ url: URL, reference: MJCFScannerReference) throws {
    guard let handle = try? FileHandle(forReadingFrom: url) else { return }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 24), let size = ModelBounds.pngSize(head),
      size.width * size.height > ModelBounds.maxTexturePixels
    else { return }
    throw CompileError(
      message: "the image \"\(reference.value)\" is \(size.width)x\(size.height) pixels, over the "
        + "limit of \(ModelBounds.maxTexturePixels) pixels (8192x8192) a model may use",
      file: reference.file.path, line: reference.line)
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

typealias MJCFScannerReference = MJCFReferenceScanner.Reference
