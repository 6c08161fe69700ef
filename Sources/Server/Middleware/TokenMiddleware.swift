import Foundation
import Hummingbird

/// Requires the server's token on every request when one is set (always, when the server binds
/// a non-loopback address). The token may come as `?token=`, as the `tau_token` cookie (set,
/// HttpOnly, the first time it comes in the URL) or as `Authorization: Bearer`. A page opened
/// with `?token=` is redirected to the same address without it, so it does not linger in the
/// address bar or history. Missing: 401; wrong: 403. `/healthz` needs no token.
struct TokenMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  static let cookieName = "tau_token"
  let token: String?
  let secureCookie: @Sendable (Request, Context) -> Bool

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    guard let token, request.uri.path != "/healthz" else {
      return try await next(request, context)
    }
    let fromQuery = request.uri.queryParameters["token"].map(String.init)
    let fromCookie = request.cookies[Self.cookieName]?.value
    let fromHeader = request.headers[.authorization].flatMap { value -> String? in
      value.lowercased().hasPrefix("bearer ") ? String(value.dropFirst(7)) : nil
    }
    let offered = [fromQuery, fromCookie, fromHeader].compactMap { $0 }
    guard !offered.isEmpty else {
      throw HTTPError(
        .unauthorized, message: "this server needs its access token (open the URL it printed)")
    }
    guard offered.contains(where: { Self.constantTimeEqual($0, token) }) else {
      throw HTTPError(.forbidden, message: "wrong access token")
    }
    let cameInURL = fromQuery.map { Self.constantTimeEqual($0, token) } ?? false
    var response: Response
    if cameInURL, request.method == .get, !request.uri.path.hasPrefix("/api/"),
      !request.isWebSocketUpgrade
    {
      response = Response(
        status: .seeOther,
        headers: [.location: Self.withoutToken(path: request.uri.path, query: request.uri.query)])
    } else {
      response = try await next(request, context)
    }
    if cameInURL && fromCookie.map({ !Self.constantTimeEqual($0, token) }) ?? true {
      response.setCookie(
        Cookie(
          name: Self.cookieName, value: token, path: "/",
          secure: secureCookie(request, context), httpOnly: true, sameSite: .strict))
    }
    return response
  }

  /// The request's path and query without the `token` parameter.
  static func withoutToken(path: String, query: String?) -> String {
    let kept = (query ?? "").split(separator: "&").filter {
      !$0.hasPrefix("token=") && $0 != "token"
    }
    return path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
  }

  static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }
}
