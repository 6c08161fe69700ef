import Hummingbird
import NIOCore
import Projects

/// The request context of every route (HTTP and WebSocket upgrades alike): the session the
/// `SessionMiddleware` resolved, the peer's address and whether the request came over https.
public struct TauRequestContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The peer (nil in router tests).
  public let remoteAddress: SocketAddress?
  /// The request's connection, whose close ends work done only for this client.
  let channel: (any Channel)?
  /// Whose projects this request may see; set by `SessionMiddleware`.
  public var session: SessionID?
  /// Set on the upgrade request of a fresh connection only: where a WebSocket route leaves
  /// its handler (see `TauServerChannel`).
  var webSocketUpgrade: WebSocketUpgradeSlot?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
    channel = source.channel
    session = nil
    webSocketUpgrade = nil
  }

  /// JSON bodies are small; routes that take more (file writes, zip uploads) collect their
  /// body with their own limit.
  public var maxUploadSize: Int { 1024 * 1024 }

  /// The session, or a 401 when there is none (a route outside `SessionMiddleware`).
  func requireSession() throws -> SessionID {
    guard let session else {
      throw HTTPError(.unauthorized, message: "no session")
    }
    return session
  }

  /// The peer's address, as limits per client count it ("unknown" in router tests).
  var peerAddress: String { remoteAddress?.ipAddress ?? "unknown" }

  /// Whether the peer is on this machine (a reverse proxy we may trust).
  var peerIsLoopback: Bool {
    guard let remoteAddress else { return true }
    switch remoteAddress {
    case .v4(let address): return address.host.hasPrefix("127.")
    case .v6(let address): return address.host == "::1" || address.host.hasPrefix("::ffff:127.")
    case .unixDomainSocket: return true
    }
  }
}
