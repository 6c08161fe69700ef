import Foundation
import Hummingbird
import Projects

/// The web app from `web/` and Debian's browser libraries under `/vendor/` (from
/// `/usr/share/javascript`, then `/usr/share/nodejs`).
///
/// Files are served by Hummingbird's `FileMiddleware` (ranges, ETags, `HEAD`) through
/// `ConfinedFiles`, once no route answered. The routes here serve the app's page: at `/`,
/// and for the app's own paths (no extension, not a file). `/api/` and `/ws/` paths never
/// fall through to a page or a file: they get the API's JSON 404.
struct StaticFileRoutes {
  let webDirectory: URL?
  let vendorDirectories: [URL]

  /// Every file's media type, for the cache rules.
  static let anyType = MediaType(type: .any, subType: "*")

  /// Paths of the API and the stream, which no file or page answers.
  static func isAPI(_ path: String) -> Bool {
    path == "/api" || path.hasPrefix("/api/") || path.hasPrefix("/ws/")
  }

  func register(on router: Router<TauRequestContext>) {
    let web = webDirectory.map { ConfinedFiles(folders: [$0]) }
    // Each serves only after the routes (and the middleware inside it) answered 404.
    if let web {
      router.add(
        middleware: FileMiddleware(
          fileProvider: web, cacheControl: .init([(Self.anyType, [.noCache])])
        ).withAdditionalMediaTypes(forFileExtensions: MediaTypes.withCharset))
    }
    router.add(
      middleware: FileMiddleware(
        fileProvider: ConfinedFiles(folders: vendorDirectories), urlBasePath: "/vendor",
        cacheControl: .init([(Self.anyType, [.maxAge(3600)])])
      ).withAdditionalMediaTypes(forFileExtensions: MediaTypes.withCharset))

    router.get("/") { _, _ in
      guard let web else { return Self.builtInPage() }
      return try await Self.page(web)
    }
    router.get("/**") { request, _ in
      let path = request.uri.path
      let last = path.split(separator: "/").last ?? ""
      // Files (and whatever is not the app's) are the file middleware's, after this 404.
      guard let web, !Self.isAPI(path), !path.hasPrefix("/vendor/"), !last.contains("."),
        web.getFileIdentifier(path.removingPercentEncoding ?? path) == nil
      else { throw HTTPError(.notFound, message: "not found") }
      return try await Self.page(web)
    }
  }

  /// The app's page, `index.html`, revalidated on every load.
  private static func page(_ web: ConfinedFiles) async throws -> Response {
    guard let path = web.getFileIdentifier("/index.html") else {
      throw HTTPError(.notFound, message: "not found")
    }
    let data = try await BlockingIO.run { () -> Data in
      guard let data = FileManager.default.contents(atPath: path),
        data.count <= ConfinedFiles.maximumBytes
      else { throw HTTPError(.notFound, message: "not found") }
      return data
    }
    return Response(
      status: .ok, headers: [.contentType: MediaTypes.html, .cacheControl: "no-cache"],
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
      status: .ok, headers: [.contentType: MediaTypes.html],
      body: .init(byteBuffer: ByteBuffer(string: html)))
  }
}
