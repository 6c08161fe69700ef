/// Where a tau worker finds the model a request is about.
public enum ModelSource: Codable, Sendable, Hashable {
  /// An MJCF file; includes, meshes and textures resolve relative to it. With `confinedTo`
  /// (a project folder), the worker refuses a model that reads any file outside that folder.
  case file(path: String, confinedTo: String? = nil)
  /// MJCF text; referenced files are looked up in `assetsDirectory`.
  case xml(String, assetsDirectory: String?)

  var header: JSONValue {
    switch self {
    case .file(let path, let root):
      return .object(["path": .string(path), "confined_to": root.map(JSONValue.string) ?? .null])
    case .xml(let text, let assets):
      return .object(["xml": .string(text), "assets_dir": assets.map(JSONValue.string) ?? .null])
    }
  }

  /// Reads the `model` field of a request header.
  public init(header: JSONValue?) throws {
    guard let fields = header?.objectValue else {
      throw WorkerRequestError("the request names no model (expected {\"path\"} or {\"xml\"})")
    }
    if let path = fields["path"]?.stringValue {
      self = .file(path: path, confinedTo: fields["confined_to"]?.stringValue)
    } else if let xml = fields["xml"]?.stringValue {
      self = .xml(xml, assetsDirectory: fields["assets_dir"]?.stringValue)
    } else {
      throw WorkerRequestError("model needs a \"path\" or an \"xml\" field")
    }
  }
}

/// A request a worker cannot serve, in words for the user.
public struct WorkerRequestError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
