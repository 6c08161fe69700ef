import Foundation
import MuJoCo

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Reads the file references out of one MJCF file (entities decoded, as MuJoCo's parser does).
final class MJCFReferenceScanner: NSObject, XMLParserDelegate {
  /// One attribute naming a file or folder, and where it is written.
  struct Reference {
    let value: String
    let file: URL
    let line: Int
  }

  struct References {
    /// `<include file>`: more of the same model.
    var includes: [Reference] = []
    /// `<asset><model file>`: a sub-model, resolved against its own folder.
    var models: [Reference] = []
    /// Every other `file…` attribute (meshes, textures and their cube faces, height fields…).
    var assets: [Reference] = []
    /// The compiler's `meshdir`, `texturedir` and `assetdir`.
    var directories: [Reference] = []

    mutating func merge(_ other: References) {
      includes += other.includes
      models += other.models
      assets += other.assets
      directories += other.directories
    }
  }

  private let file: URL
  private var references = References()
  /// The first texture or height field whose declared size is over `ModelBounds`, and its
  /// line: refused before MuJoCo parses it, since parsing allocates it.
  private var oversized: (problem: String, line: Int)?

  private init(file: URL) { self.file = file }

  /// The references in `data`, the content of `file` (read once by the caller, which gives
  /// the same bytes to MuJoCo).
  static func scan(_ data: Data, of file: URL) throws -> References {
    let parser = XMLParser(data: data)
    parser.shouldResolveExternalEntities = false
    let scanner = MJCFReferenceScanner(file: file)
    parser.delegate = scanner
    // MuJoCo's parser (tinyxml2) forgives what this one (libxml2) stops at: references past
    // such a point would go unchecked, so a file this parser cannot read is refused.
    guard parser.parse() else {
      let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? ""
      throw CompileError(
        message: "XML Error: this file is not well-formed XML. \(reason)", file: file.path,
        line: parser.lineNumber > 0 ? parser.lineNumber : nil)
    }
    if let oversized = scanner.oversized {
      throw CompileError(message: oversized.problem, file: file.path, line: oversized.line)
    }
    return scanner.references
  }

  func parser(
    _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    if oversized == nil, let problem = Self.sizeProblem(element, attributes) {
      oversized = (problem, parser.lineNumber)
    }
    for (name, value) in attributes {
      let reference = Reference(value: value, file: file, line: parser.lineNumber)
      if name.hasPrefix("file") {
        switch element {
        case "include": references.includes.append(reference)
        case "model": references.models.append(reference)
        default: references.assets.append(reference)
        }
      } else if element == "compiler", name.hasSuffix("dir") {
        references.directories.append(reference)
      }
    }
  }

  private static func sizeProblem(_ element: String, _ attributes: [String: String]) -> String? {
    func number(_ key: String) -> Int {
      attributes[key].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        .map { Int(clamping: Int64(max(0, min($0, 1e12)))) } ?? 0
    }
    let name = ModelBounds.displayName(attributes["name"])
    switch element {
    case "texture":
      // MJCF's default texture type is a cube, of six faces.
      let faces = ["cube", "skybox"].contains(attributes["type"] ?? "cube") ? 6 : 1
      return ModelBounds.texture(
        name: name, width: number("width"), height: number("height"), faces: faces)
    case "hfield":
      return ModelBounds.heightField(name: name, rows: number("nrow"), columns: number("ncol"))
    default:
      return nil
    }
  }
}
