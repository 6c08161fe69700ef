import Foundation

/// The MJCF file a command acts on: the file itself, or a project folder's
/// entry scene (`scene.xml`, else the first top-level `.xml` in sorted order).
enum ModelPath {
  static func resolve(_ path: String) throws -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ValidationFailure("\(path): no such file or folder")
    }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    guard isDirectory.boolValue else { return absolute }
    let scene = (absolute as NSString).appendingPathComponent("scene.xml")
    if FileManager.default.fileExists(atPath: scene) { return scene }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
    guard let first = entries.filter({ $0.lowercased().hasSuffix(".xml") }).sorted().first else {
      throw ValidationFailure("\(path): the folder holds no .xml model")
    }
    return (absolute as NSString).appendingPathComponent(first)
  }
}

/// A command-line failure with a message for the user.
struct ValidationFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
