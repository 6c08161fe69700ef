import Hummingbird

/// Adds the headers that keep our pages from being framed, sniffed or leaking URLs (the token
/// is in the first URL): a Content-Security-Policy that allows only this origin and no framing,
/// `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and `Cache-Control:
/// no-store` on API answers.
struct SecurityHeadersMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  static let contentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    + "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    + "form-action 'self'; frame-ancestors 'none'"

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var response = try await next(request, context)
    response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[.referrerPolicy] = "no-referrer"
    response.headers[.xFrameOptions] = "DENY"
    response.headers[.crossOriginOpenerPolicy] = "same-origin"
    response.headers[.crossOriginResourcePolicy] = "same-origin"
    if request.uri.path.hasPrefix("/api/"), response.headers[.cacheControl] == nil {
      response.headers[.cacheControl] = "no-store"
    }
    return response
  }
}

/// The headers HTTPTypes does not name.
extension HTTPFields.Element.Name {
  static let referrerPolicy = Self("Referrer-Policy")!
  static let xFrameOptions = Self("X-Frame-Options")!
  static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
}
