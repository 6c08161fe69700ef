import Foundation
import Hummingbird
import Projects
import Synchronization

/// Resolves whose projects a request may see and stores it in the context.
///
/// Single-user mode: always the session `local`. Multi-user mode: the `tau_sid` cookie, when it
/// holds a session this server issued (a random 128-bit id); a request without one, or with an
/// unknown or malformed one, gets a fresh empty session and the cookie (HttpOnly, SameSite=Lax,
/// Secure over https). A WebSocket upgrade never gets a fresh session: without a known cookie it
/// is refused (403).
struct SessionMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  static let cookieName = "tau_sid"
  /// Browsers cap cookie lifetimes near 400 days.
  static let cookieMaxAge = 400 * 24 * 3600

  let multiUser: Bool
  let registry: SessionRegistry
  let secureCookie: @Sendable (Request, TauRequestContext) -> Bool

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var context = context
    guard multiUser else {
      context.session = .local
      return try await next(request, context)
    }
    // A health probe needs no session, and must not be given one each time it asks.
    if request.uri.path == "/healthz" { return try await next(request, context) }
    if let value = request.cookies[Self.cookieName]?.value, let session = SessionID(value),
      SessionID.isRandomID(value), registry.isKnown(session)
    {
      context.session = session
      return try await next(request, context)
    }
    if request.isWebSocketUpgrade {
      throw HTTPError(.forbidden, message: "the stream needs the session cookie of the page")
    }
    let newSessions = registry.newSessions
    if let wait = newSessions.take(context.peerAddress) {
      throw HTTPError(
        .tooManyRequests, headers: [.retryAfter: String(Int(wait.seconds.rounded(.up)))],
        message: "too many new sessions from your address (\(newSessions.perWindow) in 10 "
          + "minutes): send back the tau_sid cookie you were given, or try again in "
          + "\(Int(wait.seconds.rounded(.up))) s")
    }
    let session = registry.issue()
    context.session = session
    var response = try await next(request, context)
    response.setCookie(
      Cookie(
        name: Self.cookieName, value: session.rawValue, maxAge: Self.cookieMaxAge, path: "/",
        secure: secureCookie(request, context), httpOnly: true, sameSite: .lax))
    return response
  }
}

/// The sessions this server knows: those it issued since it started, and those with a folder
/// in the projects folder (issued before a restart and holding projects).
///
/// Every cookieless request is issued a session, so only the newest `capacity` are remembered
/// (the server's memory stays bounded however many clients come): a forgotten session that
/// made a project is still known by its folder, and one that made none lost nothing.
final class SessionRegistry: Sendable {
  /// The sessions remembered, bounded to `capacity`.
  private struct Memory {
    var issued: Set<String> = []
    /// `issued` in the order remembered, from `oldest` on.
    var order: [String] = []
    var oldest = 0

    mutating func remember(_ id: String, capacity: Int) {
      guard issued.insert(id).inserted else { return }
      order.append(id)
      if issued.count > capacity {
        issued.remove(order[oldest])
        oldest += 1
        if oldest > order.count / 2 {
          order.removeFirst(oldest)
          oldest = 0
        }
      }
    }
  }

  private let memory = Mutex(Memory())
  private let projectsDirectory: URL
  let capacity: Int
  /// How many fresh sessions one address may be issued.
  let newSessions: NewSessionLimiter

  init(projectsDirectory: URL, capacity: Int = 100_000, newSessionsPerAddress: Int = 60) {
    self.projectsDirectory = projectsDirectory
    self.capacity = capacity
    newSessions = NewSessionLimiter(perWindow: newSessionsPerAddress)
  }

  func issue() -> SessionID {
    let session = SessionID.random()
    remember(session.rawValue)
    return session
  }

  private func remember(_ id: String) {
    memory.withLock { $0.remember(id, capacity: capacity) }
  }

  func isKnown(_ session: SessionID) -> Bool {
    if memory.withLock({ $0.issued.contains(session.rawValue) }) { return true }
    var isDirectory: ObjCBool = false
    let path = projectsDirectory.appendingPathComponent(session.rawValue).path
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { return false }
    remember(session.rawValue)
    return true
  }
}
