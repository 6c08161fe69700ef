import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Outbound
import Projects
import Synchronization

/// The original's path to Menagerie: GitHub's contents API, one listing per folder and one
/// download per file. Only for models the registry does not know, so nothing the original
/// could import is lost. Everything it answers is untrusted: each listed path must lie
/// inside the model's folder (a `SafePath`), downloads come only from the API's host or
/// GitHub's raw host, and the files and bytes of one model are bounded.
///
/// The token (`GITHUB_TOKEN`) goes only to the API's host, in a header; it never reaches a
/// worker, a log or an error.
public struct GitHubMenagerie: Sendable {
  /// `TAU_GITHUB_API_URL`, default `https://api.github.com`.
  public var apiBase: String
  public var token: String?
  public var repository = "google-deepmind/mujoco_menagerie"
  public var maxFiles = 2000
  public var maxBytes = 512 << 20
  /// One listing or download.
  public var requestTimeout: Duration = .seconds(60)
  /// Downloads at once.
  public var parallel = 8

  public static let defaultAPIBase = "https://api.github.com"
  static let rawHost = "raw.githubusercontent.com"

  public init(apiBase: String = Self.defaultAPIBase, token: String? = nil) {
    self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
    self.token = token
  }

  public init(environment: [String: String]) {
    let base = environment["TAU_GITHUB_API_URL"].flatMap { $0.isEmpty ? nil : $0 }
    self.init(
      apiBase: base ?? Self.defaultAPIBase,
      token: environment["GITHUB_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
  }

  /// One file of the model's folder, as the listing gave it.
  struct ListedFile: Sendable {
    let path: SafePath
    let url: String
    let size: Int
  }

  /// Downloads the model's folder into `folder/` (which must not exist yet).
  /// `progress` hears bytes done of the listing's total.
  public func fetch(
    model: String, into folder: URL, progress: @escaping @Sendable (Int, Int) -> Void
  ) async throws {
    let files = try await list(model: model)
    let total = files.reduce(0) { $0 + $1.size }
    guard total <= maxBytes else {
      throw GitHubFailure(
        .refused,
        "\(model) on GitHub is \(ProjectLimits.describe(bytes: total)); an import may have "
          + ProjectLimits.describe(bytes: maxBytes))
    }
    let done = ByteCount()
    progress(0, total)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (index, file) in files.enumerated() {
        if index >= parallel { try await group.next() }
        group.addTask {
          let data = try await download(file, model: model)
          try await BlockingIO.run { try Self.write(data, at: file.path, under: folder) }
          progress(done.add(data.count), total)
        }
      }
      try await group.waitForAll()
    }
  }

  /// Every file of the model's folder, walking its subfolders.
  func list(model: String) async throws -> [ListedFile] {
    var folders = [model]
    var files: [ListedFile] = []
    var listings = 0
    while let folder = folders.popLast() {
      listings += 1
      guard listings <= maxFiles else {
        throw GitHubFailure(.refused, "\(model) on GitHub has more than \(maxFiles) folders")
      }
      let body = try await get(contentsURL(folder), limit: 8 << 20, model: model, listing: true)
      guard let items = try? JSONDecoder().decode([Item].self, from: body) else {
        if folder == model { throw GitHubFailure(.notFound, "\(model) is not a folder on GitHub") }
        throw GitHubFailure(.unavailable, "GitHub's listing of \(folder) could not be read")
      }
      for item in items {
        let path = try relativePath(item.path, model: model)
        switch item.type {
        case "dir":
          folders.append(item.path)
        case "file":
          // Dotfiles are never project files (and Menagerie needs none).
          guard path.segments.allSatisfy(SafePath.isVisible(name:)) else { continue }
          guard let url = item.downloadURL else {
            throw GitHubFailure(.unavailable, "GitHub's listing gives no download for \(path)")
          }
          files.append(ListedFile(path: path, url: url, size: max(0, item.size ?? 0)))
          guard files.count <= maxFiles else {
            throw GitHubFailure(
              .refused,
              "\(model) on GitHub has more than \(maxFiles) files; an import may have "
                + "\(maxFiles)")
          }
        default:
          // Links and submodules are never followed.
          continue
        }
      }
    }
    return files
  }

  /// One entry of a contents listing.
  struct Item: Decodable {
    let type: String
    let path: String
    let size: Int?
    let downloadURL: String?

    enum CodingKeys: String, CodingKey {
      case type, path, size
      case downloadURL = "download_url"
    }
  }

  /// `path` (repository-relative) as a path inside the model's folder, or a refusal.
  func relativePath(_ path: String, model: String) throws -> SafePath {
    let prefix = model + "/"
    guard path.hasPrefix(prefix), let inside = try? SafePath(String(path.dropFirst(prefix.count)))
    else {
      throw GitHubFailure(
        .refused,
        "GitHub's listing of \(model) names \(String(reflecting: path)), which is outside the "
          + "model's folder; nothing was imported")
    }
    return inside
  }

  func contentsURL(_ folder: String) -> String {
    let escaped = folder.split(separator: "/").map {
      $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
    }
    return "\(apiBase)/repos/\(repository)/contents/\(escaped.joined(separator: "/"))"
  }

  func download(_ file: ListedFile, model: String) async throws -> Data {
    guard let url = URL(string: file.url), ["http", "https"].contains(url.scheme ?? ""),
      let host = url.host, host == URL(string: apiBase)?.host || host == Self.rawHost
    else {
      throw GitHubFailure(
        .refused, "GitHub's listing of \(model) points \(file.path) at a foreign address")
    }
    let data = try await get(file.url, limit: maxBytes, model: model, listing: false)
    guard data.count <= maxBytes else {
      throw GitHubFailure(.refused, "\(file.path) is larger than an import may be")
    }
    return data
  }

  /// GETs `url`; the token goes only to the API's own host.
  func get(_ url: String, limit: Int, model: String, listing: Bool) async throws -> Data {
    var request = HTTPClientRequest(url: url)
    request.headers.add(name: "User-Agent", value: "tau-sim")
    request.headers.add(name: "Accept", value: "application/vnd.github+json")
    if let token, URL(string: url)?.host == URL(string: apiBase)?.host {
      request.headers.add(name: "Authorization", value: "Bearer \(token)")
    }
    let response: HTTPClientResponse
    let body: ByteBuffer
    do {
      response = try await OutboundHTTP.client.execute(
        request, timeout: .seconds(Int64(requestTimeout.components.seconds)))
      body = try await response.body.collect(upTo: limit)
    } catch is NIOTooManyBytesError {
      throw GitHubFailure(.refused, "a file of \(model) on GitHub is larger than an import may be")
    } catch {
      throw GitHubFailure(.unavailable, "GitHub could not be reached (\(error))")
    }
    let data = Data(body.readableBytesView)
    switch response.status.code {
    case 200:
      return data
    case 404 where listing:
      throw GitHubFailure(.notFound, "GitHub has no folder \(model) in \(repository)")
    case 403, 429:
      let remaining = response.headers.first(name: "x-ratelimit-remaining")
      let text = String(decoding: data.prefix(2000), as: UTF8.self).lowercased()
      if response.status.code == 429 || remaining == "0" || text.contains("rate limit") {
        let retry = response.headers.first(name: "retry-after") ?? "3600"
        throw GitHubFailure(
          .rateLimited,
          "GitHub's API rate limit is spent (60 requests an hour without a token); set "
            + "GITHUB_TOKEN to a GitHub token for 5000 an hour", retryAfter: retry)
      }
      throw GitHubFailure(.unavailable, "GitHub refused the request (\(response.status.code))")
    default:
      throw GitHubFailure(.unavailable, "GitHub answered \(response.status.code) for \(model)")
    }
  }

  static func write(_ data: Data, at path: SafePath, under folder: URL) throws {
    let url = path.segments.reduce(folder) { $0.appendingPathComponent($1) }
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: url.path, contents: data) else {
      throw GitHubFailure(.unavailable, "cannot write \(path) to a temporary folder")
    }
  }
}

/// Why GitHub gave no model.
public struct GitHubFailure: Error, Sendable, Equatable {
  public enum Kind: Sendable { case notFound, rateLimited, unavailable, refused }
  public var kind: Kind
  public var message: String
  /// Seconds, as GitHub said (rate limits).
  public var retryAfter: String?

  init(_ kind: Kind, _ message: String, retryAfter: String? = nil) {
    self.kind = kind
    self.message = message
    self.retryAfter = retryAfter
  }
}

/// Bytes downloaded so far, across the parallel downloads.
final class ByteCount: Sendable {
  private let count = Mutex(0)

  func add(_ bytes: Int) -> Int {
    count.withLock {
      $0 += bytes
      return $0
    }
  }
}
