import Foundation

/// Which `Host` header values (and so which origins) are this server's own.
///
/// Accepted: `127.0.0.1`, `localhost` and `[::1]`, the bind address, and the names the user
/// configured, each with the server's port (or with no port when the server is on port 80).
/// When the server binds every address (`0.0.0.0`, `::`), any IP literal is accepted too: a
/// DNS-rebinding page can only reach us under a domain name, never under an address. A server
/// on port 0 (tests) accepts any port.
struct HostAllowList: Sendable {
  private let names: Set<String>
  /// Configured entries that name their own port (`name:port`).
  private let namesWithPort: Set<String>
  private let port: Int
  private let acceptsIPLiterals: Bool

  init(configuration: ServerConfiguration) {
    var names: Set<String> = ["127.0.0.1", "localhost", "[::1]"]
    let bind = configuration.host.lowercased()
    if bind != "0.0.0.0" && bind != "::" && !bind.isEmpty {
      names.insert(bind.contains(":") && !bind.hasPrefix("[") ? "[\(bind)]" : bind)
    }
    var withPort: Set<String> = []
    for entry in configuration.allowedHosts {
      let value = entry.trimmingCharacters(in: .whitespaces).lowercased()
      guard !value.isEmpty else { continue }
      if Self.split(value)?.port != nil { withPort.insert(value) } else { names.insert(value) }
    }
    self.names = names
    self.namesWithPort = withPort
    self.port = configuration.port
    self.acceptsIPLiterals = bind == "0.0.0.0" || bind == "::"
  }

  /// Whether a `Host` value (`name[:port]`) is one of ours.
  func accepts(_ hostHeader: String) -> Bool {
    let value = hostHeader.lowercased()
    if namesWithPort.contains(value) { return true }
    guard let (name, hostPort) = Self.split(value) else { return false }
    let portMatches: Bool
    if let hostPort {
      portMatches = port == 0 || hostPort == port
    } else {
      portMatches = port == 0 || port == 80
    }
    guard portMatches else { return false }
    return names.contains(name) || (acceptsIPLiterals && Self.isIPLiteral(name))
  }

  /// Splits `name[:port]` (IPv6 in brackets); nil when malformed.
  static func split(_ value: String) -> (name: String, port: Int?)? {
    guard !value.isEmpty else { return nil }
    if value.hasPrefix("[") {
      guard let close = value.firstIndex(of: "]") else { return nil }
      let name = String(value[...close])
      let rest = value[value.index(after: close)...]
      if rest.isEmpty { return (name, nil) }
      guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port)
      else { return nil }
      return (name, port)
    }
    let parts = value.split(separator: ":", omittingEmptySubsequences: false)
    guard !parts[0].isEmpty, parts.count <= 2 else { return nil }
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_"))
    guard parts[0].unicodeScalars.allSatisfy(allowed.contains) else { return nil }
    if parts.count == 1 { return (String(parts[0]), nil) }
    guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
    return (String(parts[0]), port)
  }

  private static func isIPLiteral(_ name: String) -> Bool {
    if name.hasPrefix("[") { return true }
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
  }
}
