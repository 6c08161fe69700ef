/// Where a tau worker finds the model a request is about.
public enum ModelSource: Codable, Sendable, Hashable {
  /// An MJCF file; includes, meshes and textures resolve relative to it. With `confinedTo`
  /// (a project folder), the worker refuses a model that reads any file outside that folder.
  case file(path: String, confinedTo: String? = nil)
  /// MJCF text; referenced files are looked up in `assetsDirectory`.
  case xml(String, assetsDirectory: String?)
}

/// A request a worker cannot serve, in words for the user.
public struct WorkerRequestError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
