import Foundation
import Projects

/// Everything `buildApplication` needs to know: where to listen, where projects live, who may
/// talk to the server. `tau serve` fills it from flags, the environment and `.env`; tests build
/// one directly.
public struct ServerConfiguration: Sendable {
  /// Bind address (`127.0.0.1` by default: local mode).
  public var host: String
  /// Port (`0` picks a free one, as tests do).
  public var port: Int
  /// The projects folder (`PROJECTS_DIR`).
  public var projectsDirectory: URL
  /// Per-browser sessions (`tau_sid` cookie); off means everyone is the session `local`.
  public var multiUser: Bool
  /// The web app's folder (holds `index.html`); nil serves a short built-in page.
  public var webDirectory: URL?
  /// Folders `/vendor/` may serve from (Debian's browser libraries).
  public var vendorDirectories: [URL]
  /// Host names (optionally `name:port`) accepted besides the loopback names and the bind
  /// address (`--allowed-host`, `TAU_ALLOWED_HOSTS`).
  public var allowedHosts: [String]
  /// The access token; required by every request when set (always set when the bind address
  /// is not loopback).
  public var token: String?
  /// Trust `X-Forwarded-Proto` from any peer (behind a reverse proxy on another machine);
  /// a loopback peer is always trusted.
  public var trustForwardedHeaders: Bool
  /// The render backend, for display only.
  public var mujocoGL: String
  /// Bounds of the project store and of request bodies.
  public var limits: ProjectLimits
  /// A connection that sends nothing for this long is closed: one that never sends its
  /// request, an idle keep-alive, a WebSocket that stopped answering pings (`TAU_IDLE_TIMEOUT`).
  public var idleTimeout: Duration = .seconds(75)
  /// Fresh sessions one client address may be given within 10 minutes, in multi-user mode
  /// (`TAU_NEW_SESSIONS_PER_ADDRESS`); then 429 until the next is due.
  public var newSessionsPerAddress = 60
  /// Open connections, in all and per address, and the first request head's deadline.
  public var connections = ConnectionLimits()
  /// The assistant's settings: the vendors' keys, base URLs and default models
  /// (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, ...), `TAU_LLM_BUDGET_TOKENS`. Read by the server
  /// process only: never passed to a worker.
  public var assistantEnvironment: [String: String] = [:]

  public init(
    host: String = "127.0.0.1",
    port: Int = 7860,
    projectsDirectory: URL,
    multiUser: Bool = false,
    webDirectory: URL? = nil,
    vendorDirectories: [URL] = [
      URL(fileURLWithPath: "/usr/share/javascript"), URL(fileURLWithPath: "/usr/share/nodejs"),
    ],
    allowedHosts: [String] = [],
    token: String? = nil,
    trustForwardedHeaders: Bool = false,
    mujocoGL: String = "osmesa",
    limits: ProjectLimits = ProjectLimits()
  ) {
    self.host = host
    self.port = port
    self.projectsDirectory = projectsDirectory
    self.multiUser = multiUser
    self.webDirectory = webDirectory
    self.vendorDirectories = vendorDirectories
    self.allowedHosts = allowedHosts
    self.token = token
    self.trustForwardedHeaders = trustForwardedHeaders
    self.mujocoGL = mujocoGL
    self.limits = limits
  }

  /// Whether the bind address only accepts connections from this machine.
  public var bindsLoopback: Bool {
    Self.isLoopback(host: host)
  }

  /// Whether `host` (a name or an address, brackets allowed) is this machine's loopback.
  public static func isLoopback(host: String) -> Bool {
    let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
    return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
  }

  /// The address to open in a browser (with the token, when there is one).
  public func browserURL(port actualPort: Int? = nil) -> String {
    var shown = host
    if host == "0.0.0.0" || host == "::" { shown = "127.0.0.1" }
    if shown.contains(":") && !shown.hasPrefix("[") { shown = "[\(shown)]" }
    var url = "http://\(shown):\(actualPort ?? port)/"
    if let token { url += "?token=\(token)" }
    return url
  }
}
