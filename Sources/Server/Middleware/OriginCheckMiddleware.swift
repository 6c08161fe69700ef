import Hummingbird

/// Refuses (403) what a web page on another origin could make a browser send to us:
/// - a request with an `Origin` that is not this server's own (the same scheme-less host and
///   port the request was sent to) when it changes anything (POST, PUT, PATCH, DELETE), is a
///   WebSocket upgrade, or reaches the API; `Origin: null` included;
/// - a request a browser marks `Sec-Fetch-Site: cross-site` or `same-site` (another port or
///   subdomain) to the API or the stream, or that changes anything.
/// Requests with neither header (curl, scripts) pass: the Host check and the token guard those.
/// No CORS headers are ever sent, so no other origin can read our answers either.
struct OriginCheckMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  let allowList: HostAllowList

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let path = request.uri.path
    let guarded =
      request.isWebSocketUpgrade || path.hasPrefix("/api/") || path.hasPrefix("/ws/")
      || [.post, .put, .patch, .delete].contains(request.method)
    guard guarded else { return try await next(request, context) }

    if let site = request.headers[.secFetchSite]?.lowercased(),
      site == "cross-site" || site == "same-site"
    {
      throw HTTPError(.forbidden, message: "cross-site requests are not allowed")
    }
    for origin in request.headers[values: .origin] where !isOwn(origin: origin, request: request) {
      throw HTTPError(
        .forbidden, message: "requests from the origin \(origin.debugDescription) are not allowed")
    }
    return try await next(request, context)
  }

  /// Whether `origin` is `http(s)://<the host this request was sent to>`.
  ///
  /// A `ws://` or `wss://` origin naming this host (WebSocket client libraries send the
  /// socket's own URL, without its port) is accepted too: browsers only ever send a page's
  /// http(s) origin or `null`, so no web page can claim it.
  private func isOwn(origin: String, request: Request) -> Bool {
    let lower = origin.lowercased()
    for scheme in ["ws://", "wss://"] where lower.hasPrefix(scheme) {
      let authority = String(lower.dropFirst(scheme.count))
      guard !authority.contains("/"), let origin = HostAllowList.split(authority) else {
        return false
      }
      return request.hostValues.allSatisfy {
        HostAllowList.split($0.lowercased())?.name == origin.name && allowList.accepts($0)
      }
    }
    let authority: Substring
    if lower.hasPrefix("http://") {
      authority = lower.dropFirst(7)
    } else if lower.hasPrefix("https://") {
      authority = lower.dropFirst(8)
    } else {
      return false
    }
    guard !authority.contains("/"), allowList.accepts(String(authority)) else { return false }
    return request.hostValues.allSatisfy { $0.lowercased() == authority }
  }
}

extension HTTPFields.Element.Name {
  static let secFetchSite = Self("Sec-Fetch-Site")!
}
