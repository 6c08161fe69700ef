import Foundation

/// The Menagerie worker's protocol (`python/tau_menagerie_worker.py`): one request as a JSON
/// line on its stdin, JSON lines back on its stdout (progress, then one answer). The only
/// Swift file that spells its messages.
public enum MenagerieRequest: Sendable, Equatable {
  case catalog
  case prepare(model: String, entry: String?)
  /// A model outside the registry, already in `folder`.
  case prepareFolder(model: String, folder: String, entry: String?)

  var line: Data {
    var object: [String: String] = [:]
    switch self {
    case .catalog:
      object["type"] = "catalog"
    case .prepare(let model, let entry):
      object["type"] = "prepare"
      object["model"] = model
      object["entry"] = entry
    case .prepareFolder(let model, let folder, let entry):
      object["type"] = "prepare_folder"
      object["model"] = model
      object["folder"] = folder
      object["entry"] = entry
    }
    return ((try? JSONEncoder().encode(object)) ?? Data()) + Data("\n".utf8)
  }
}

/// One line from the Menagerie worker.
public enum MenagerieMessage: Sendable, Equatable {
  case progress(model: String, done: Int, total: Int)
  case catalog([MenagerieModel])
  case prepared(PreparedImport)
  case error(MenagerieFailure)

  private struct Header: Decodable { let type: String }
  private struct Progress: Decodable {
    let model: String
    let done: Int
    let total: Int
  }
  private struct Catalog: Decodable { let models: [MenagerieModel] }

  /// Decodes one line; nil for a line that is none of the messages.
  init?(line: Data) {
    let decoder = JSONDecoder()
    guard let header = try? decoder.decode(Header.self, from: line) else { return nil }
    switch header.type {
    case "progress":
      guard let p = try? decoder.decode(Progress.self, from: line) else { return nil }
      self = .progress(model: p.model, done: p.done, total: p.total)
    case "catalog":
      guard let c = try? decoder.decode(Catalog.self, from: line) else { return nil }
      self = .catalog(c.models)
    case "prepared":
      guard let p = try? decoder.decode(PreparedImport.self, from: line) else { return nil }
      self = .prepared(p)
    case "error":
      guard let e = try? decoder.decode(MenagerieFailure.self, from: line) else { return nil }
      self = .error(e)
    default:
      return nil
    }
  }
}

/// One model of the catalog, as the registry describes it.
public struct MenagerieModel: Codable, Sendable, Equatable {
  public struct EntryPoint: Codable, Sendable, Equatable {
    public var name: String
    /// `scene` or `robot`.
    public var kind: String
    public var file: String
  }

  public var name: String
  public var displayName: String
  public var category: String
  public var license: String
  public var entryPoints: [EntryPoint]
  public var defaultScene: String?
  public var defaultModel: String
  public var downloadSize: Int?
  public var installedSize: Int
  /// In the local checkout or the cache: importable without the network.
  public var availableOffline: Bool
  /// Where it is when offline (server-side only: never encoded for a client).
  public var folder: String?
  /// The model folder's own picture, when it has one (server-side only).
  public var picture: String?
  /// The default entry's XML, relative to `folder` (server-side only).
  public var defaultXML: String?

  enum CodingKeys: String, CodingKey {
    case name, category, license
    case displayName = "display_name"
    case entryPoints = "entry_points"
    case defaultScene = "default_scene"
    case defaultModel = "default_model"
    case downloadSize = "download_size"
    case installedSize = "installed_size"
    case availableOffline = "available_offline"
    case folder, picture
    case defaultXML = "default_xml"
  }

  /// What a client sees: everything but where the model is on the server's disk.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(displayName, forKey: .displayName)
    try container.encode(category, forKey: .category)
    try container.encode(license, forKey: .license)
    try container.encode(entryPoints, forKey: .entryPoints)
    try container.encode(defaultScene, forKey: .defaultScene)
    try container.encode(defaultModel, forKey: .defaultModel)
    try container.encode(downloadSize, forKey: .downloadSize)
    try container.encode(installedSize, forKey: .installedSize)
    try container.encode(availableOffline, forKey: .availableOffline)
  }
}

/// What an import copies: the entry's files in the model's folder, and the env.py to write.
public struct PreparedImport: Codable, Sendable, Equatable {
  public var model: String
  public var entry: String
  /// The entry's XML, relative to the model's folder.
  public var entryXML: String
  /// The model's folder (the local checkout's or the cache's).
  public var folder: String
  /// Every file the entry needs, and the model's LICENSE and README, relative to `folder`.
  public var files: [String]
  public var envPy: String

  enum CodingKeys: String, CodingKey {
    case model, entry, folder, files
    case entryXML = "entry_xml"
    case envPy = "env_py"
  }
}

/// Why the Menagerie worker could not answer.
public struct MenagerieFailure: Codable, Sendable, Equatable, Error {
  public enum Kind: String, Codable, Sendable {
    /// The registry has no such model (the message names close ones).
    case unknownModel = "unknown_model"
    case unknownEntry = "unknown_entry"
    /// Neither local nor cached, and the download failed (offline, digest mismatch...).
    case unavailable
    /// The model's entry does not compile.
    case invalid
    /// GitHub's API rate limit is spent (the fallback for models outside the registry).
    case rateLimited = "rate_limited"
    case request
  }

  public var kind: Kind
  public var message: String
  /// Seconds to wait, when a rate limit said.
  public var retryAfter: String?

  public init(kind: Kind, message: String, retryAfter: String? = nil) {
    self.kind = kind
    self.message = message
    self.retryAfter = retryAfter
  }

  enum CodingKeys: String, CodingKey {
    case kind, message
    case retryAfter = "retry_after"
  }
}
