import Hummingbird

/// Refuses requests whose `Host` is not one of this server's names (403), which defeats DNS
/// rebinding: a page on `evil.example` whose name now points at 127.0.0.1 still sends
/// `Host: evil.example`.
struct HostCheckMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  let allowList: HostAllowList

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let hosts = request.hostValues
    guard !hosts.isEmpty else {
      throw HTTPError(.badRequest, message: "the request has no Host header")
    }
    for host in hosts where !allowList.accepts(host) {
      throw HTTPError(
        .forbidden,
        message:
          "the host \(host.debugDescription) is not one of this server's names (allow it with --allowed-host or TAU_ALLOWED_HOSTS)"
      )
    }
    return try await next(request, context)
  }
}

extension Request {
  /// The request's host: its authority and any `Host` fields (a client that sends both must
  /// send the same).
  var hostValues: [String] {
    var values: [String] = []
    if let authority = head.authority { values.append(authority) }
    values += headers[values: .tauHost]
    return values
  }

  /// Whether this is a WebSocket upgrade request.
  var isWebSocketUpgrade: Bool {
    headers[values: .upgrade].contains { $0.lowercased().contains("websocket") }
  }
}

extension HTTPFields.Element.Name {
  /// `Host`, as a plain field (clients normally send it as the authority).
  static let tauHost = Self("Host")!
}
