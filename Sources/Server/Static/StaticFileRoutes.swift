import Foundation
import Hummingbird
import Projects

/// The web app from `web/` (any path that is not a file and has no extension gets `index.html`,
/// for the app's own routes) and Debian's browser libraries under `/vendor/` (from
/// `/usr/share/javascript`, then `/usr/share/nodejs`). `/api/` and `/ws/` paths never fall
/// through to a page: they get the API's JSON 404.
struct StaticFileRoutes {
  let webDirectory: URL?
  let vendorDirectories: [URL]
  /// Largest file served.
  static let maxFileBytes = 64 * 1024 * 1024

  func register(on router: Router<TauRequestContext>) {
    let web = webDirectory.map { StaticFileResolver(bases: [$0], roots: [$0]) }
    let vendor = StaticFileResolver(bases: vendorDirectories, roots: vendorDirectories)

    router.get("/") { _, _ in
      guard let web else { return Self.builtInPage() }
      return try await Self.serve(try Self.resolve(web, ["index.html"]), cache: "no-cache")
    }
    router.get("/vendor/**") { request, _ in
      let segments = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        .dropFirst(2)
      return try await Self.serve(try Self.resolve(vendor, Array(segments)), cache: "max-age=3600")
    }
    router.get("/**") { request, _ in
      let path = request.uri.path
      if path.hasPrefix("/api/") || path.hasPrefix("/ws/") || path == "/api" {
        throw HTTPError(.notFound, message: "not found")
      }
      guard let web else { throw HTTPError(.notFound, message: "not found") }
      let segments = Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
      do {
        return try await Self.serve(try Self.resolve(web, segments), cache: "no-cache")
      } catch let error as HTTPError where error.status == .notFound {
        // The app's own routes (no extension) get the app.
        guard let last = segments.last, !last.contains(".") else { throw error }
        return try await Self.serve(try Self.resolve(web, ["index.html"]), cache: "no-cache")
      }
    }
  }

  private static func resolve(_ resolver: StaticFileResolver, _ segments: [Substring]) throws
    -> String
  {
    do {
      return try resolver.resolve(segments)
    } catch StaticFileResolver.Failure.invalid {
      throw HTTPError(.badRequest, message: "invalid path")
    } catch {
      throw HTTPError(.notFound, message: "not found")
    }
  }

  private static func serve(_ path: String, cache: String) async throws -> Response {
    let data = try await BlockingIO.run { () -> Data in
      let url = URL(fileURLWithPath: path)
      let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
      guard size <= maxFileBytes else { throw HTTPError(.notFound, message: "not found") }
      return try Data(contentsOf: url)
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: MediaTypes.contentType(forPath: path),
        .cacheControl: cache,
      ],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// The page served when no web folder was found.
  static func builtInPage() -> Response {
    let html = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>tau-sim</title></head>
      <body><h1>tau-sim</h1><p>The server runs, but its web folder was not found
      (set TAU_WEB_DIR to the folder holding index.html).</p></body></html>
      """
    return Response(
      status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
      body: .init(byteBuffer: ByteBuffer(string: html)))
  }
}
