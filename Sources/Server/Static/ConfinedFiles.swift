import Foundation
import Hummingbird
import Logging

/// The files of a set of folders as Hummingbird's `FileMiddleware` serves them (ranges,
/// ETags, HEAD), found by `StaticFileResolver`: a request path reaches only regular files
/// whose real path lies inside the folders, and none of `/api/` or `/ws/`.
struct ConfinedFiles: FileProvider {
  typealias FileAttributes = LocalFileSystem.FileAttributes
  typealias FileIdentifier = String

  let resolver: StaticFileResolver
  /// Largest file served.
  static let maximumBytes = 64 * 1024 * 1024
  /// Reads the files `resolver` found (identified by their real, absolute path).
  private let files: LocalFileSystem

  init(folders: [URL]) {
    resolver = StaticFileResolver(bases: folders, roots: folders)
    var logger = Logger(label: "tau.static")
    logger.logLevel = .warning
    files = LocalFileSystem(rootFolder: "/", threadPool: .singleton, logger: logger)
  }

  /// `path` is the request's, percent-decoded by the middleware.
  func getFileIdentifier(_ path: String) -> String? {
    guard !StaticFileRoutes.isAPI(path) else { return nil }
    let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
    return try? resolver.resolve(Array(segments), decoded: true)
  }

  func getAttributes(id: String) async throws -> FileAttributes? {
    guard let attributes = try await files.getAttributes(id: id), !attributes.isFolder,
      attributes.size <= Self.maximumBytes
    else { return nil }
    return attributes
  }

  func loadFile(id: String, context: some RequestContext) async throws -> ResponseBody {
    try await files.loadFile(id: id, context: context)
  }

  func loadFile(id: String, range: ClosedRange<Int>, context: some RequestContext) async throws
    -> ResponseBody
  {
    try await files.loadFile(id: id, range: range, context: context)
  }
}
