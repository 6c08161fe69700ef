/// What the API says about a project: `{"id", "name", "files"}` (files are sorted relative
/// paths, hidden files and `__pycache__` left out).
public struct ProjectInfo: Codable, Equatable, Sendable {
  public var id: ProjectID
  public var name: String
  public var files: [String]

  public init(id: ProjectID, name: String, files: [String]) {
    self.id = id
    self.name = name
    self.files = files
  }
}

/// One saved version of a file: `{"version", "time", "size"}` (time in ISO 8601, UTC).
public struct FileVersion: Codable, Equatable, Sendable {
  public var version: String
  public var time: String
  public var size: Int
  /// Where the change that replaced this version came from, when its writer said.
  public var replacedBy: ChangeSource?

  public init(version: String, time: String, size: Int, replacedBy: ChangeSource? = nil) {
    self.version = version
    self.time = time
    self.size = size
    self.replacedBy = replacedBy
  }

  enum CodingKeys: String, CodingKey {
    case version, time, size
    case replacedBy = "replaced_by"
  }
}

/// A deleted project waiting in the trash: `{"id", "name", "deleted_at"}`.
public struct TrashEntry: Codable, Equatable, Sendable {
  public var id: ProjectID
  public var name: String
  public var deletedAt: String

  enum CodingKeys: String, CodingKey {
    case id, name
    case deletedAt = "deleted_at"
  }

  public init(id: ProjectID, name: String, deletedAt: String) {
    self.id = id
    self.name = name
    self.deletedAt = deletedAt
  }
}
