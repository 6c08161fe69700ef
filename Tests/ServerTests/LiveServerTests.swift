import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

@testable import Server

#if canImport(Glibc)
  import Glibc
#endif

/// The real server on a loopback socket.
@Suite("Live server")
struct LiveServerTests {
  /// Sends raw HTTP to 127.0.0.1:`port` and returns the response head (status line first).
  /// Runs on a dispatch thread: blocking the test's cooperative thread would starve the server.
  static func rawRequest(
    port: Int, from source: String = "127.0.0.1", readTimeout: Int = 20, _ text: String
  ) async throws -> String {
    try await BlockingIO.run {
      try blockingRequest(port: port, from: source, readTimeout: readTimeout, text)
    }
  }

  /// A socket connected to 127.0.0.1:`port` whose reads give up after 20 s (generous: under
  /// a full parallel test run the server may take seconds to be scheduled). `source` is the
  /// client's own address: any of 127.0.0.0/8 reaches the server, as another client would.
  static func connectedSocket(
    port: Int, from source: String = "127.0.0.1", readTimeout: Int = 20
  ) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket failed") }
    /// Calls `bind` or `connect` with an IPv4 address.
    func call(
      _ operation: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32, _ ip: String, _ port: Int
    ) -> Bool {
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = in_port_t(UInt16(port).bigEndian)
      address.sin_addr.s_addr = inet_addr(ip)
      return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          operation(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
      }
    }
    guard call(bind, source, 0), call(connect, "127.0.0.1", port) else {
      close(fd)
      throw TestFailure("connecting from \(source) failed")
    }
    var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
  }

  static func blockingRequest(
    port: Int, from source: String = "127.0.0.1", readTimeout: Int = 20, _ text: String
  ) throws -> String {
    let fd = try connectedSocket(port: port, from: source, readTimeout: readTimeout)
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw TestFailure("send failed") }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    // The head, then as much body as its Content-Length announces (a 101 has none).
    func complete() -> Bool {
      let text = String(decoding: received, as: UTF8.self)
      guard let end = text.range(of: "\r\n\r\n") else { return false }
      let length = text[..<end.lowerBound].split(separator: "\r\n")
        .first { $0.lowercased().hasPrefix("content-length:") }
        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) }
      return text[end.upperBound...].utf8.count >= (length ?? 0)
    }
    while !complete() {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
  }

  /// The `detail` of a raw response's JSON body.
  static func detail(_ response: String) -> String? {
    guard let body = response.range(of: "\r\n\r\n").map({ response[$0.upperBound...] }),
      let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    else { return nil }
    return object["detail"] as? String
  }

  static func upgradeRequest(port: Int, path: String, origin: String?, cookie: String? = nil)
    -> String
  {
    var text = "GET \(path) HTTP/1.1\r\nHost: localhost:\(port)\r\nUpgrade: websocket\r\n"
    text += "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    text += "Sec-WebSocket-Version: 13\r\n"
    if let origin { text += "Origin: \(origin)\r\n" }
    if let cookie { text += "Cookie: \(cookie)\r\n" }
    return text + "\r\n"
  }

  @Test("WebSocket upgrades: same-origin accepted, cross-origin refused")
  func webSocketOrigin() async throws {
    try await TestServer().test(.live) { client in
      let port = try #require(client.port)
      let info = try await client.createProject()
      let path = "/ws/sim/\(info.id)"
      let same = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: path, origin: "http://localhost:\(port)"))
      #expect(same.hasPrefix("HTTP/1.1 101"), "\(same)")
      let noOrigin = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: path, origin: nil))
      #expect(noOrigin.hasPrefix("HTTP/1.1 101"), "\(noOrigin)")
      for origin in ["http://evil.example", "null", "http://localhost:1"] {
        let refused = try await Self.rawRequest(
          port: port, Self.upgradeRequest(port: port, path: path, origin: origin))
        #expect(refused.hasPrefix("HTTP/1.1 403"), "\(origin): \(refused)")
        #expect(Self.detail(refused)?.contains("origin") == true, "\(refused)")
      }
      let unknown = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: "/ws/sim/0123456789", origin: nil))
      #expect(unknown.hasPrefix("HTTP/1.1 404"), "\(unknown)")
      #expect(Self.detail(unknown) != nil, "\(unknown)")
      // A WebSocket version we do not speak: the route says what it takes.
      let oldVersion = try await Self.rawRequest(
        port: port,
        Self.upgradeRequest(port: port, path: path, origin: nil)
          .replacingOccurrences(of: "Version: 13", with: "Version: 8"))
      #expect(oldVersion.hasPrefix("HTTP/1.1 400"), "\(oldVersion)")
      #expect(Self.detail(oldVersion)?.contains("WebSocket") == true, "\(oldVersion)")
      // An upgrade to a protocol we do not offer is answered as plain HTTP.
      let h2c = try await Self.rawRequest(
        port: port,
        "GET /api/projects HTTP/1.1\r\nHost: localhost:\(port)\r\nUpgrade: h2c\r\n"
          + "Connection: Upgrade\r\n\r\n")
      #expect(h2c.hasPrefix("HTTP/1.1 200"), "\(h2c)")
      #expect(h2c.contains(info.id.rawValue), "\(h2c)")
      // An upgrade that carries a body is malformed: the connection closes, nobody waits.
      let started = ContinuousClock.now
      let withBody = try await Self.rawRequest(
        port: port,
        Self.upgradeRequest(port: port, path: path, origin: nil)
          .replacingOccurrences(of: "\r\n\r\n", with: "\r\nContent-Length: 4\r\n\r\nbody"))
      #expect(!withBody.hasPrefix("HTTP/1.1 101"), "\(withBody)")
      #expect(ContinuousClock.now - started < .seconds(4))
    }
  }

  @Test("multi-user: an upgrade needs the page's session cookie")
  func webSocketSession() async throws {
    try await TestServer(multiUser: true).test(.live) { client in
      let port = try #require(client.port)
      let first = try await client.send(.get, "/api/projects")
      let cookie = "tau_sid=" + cookieValue(try #require(setCookie(first, named: "tau_sid")))
      let info = try await client.createProject(headers: [.cookie: cookie])
      let path = "/ws/sim/\(info.id)"
      let withCookie = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: path, origin: nil, cookie: cookie))
      #expect(withCookie.hasPrefix("HTTP/1.1 101"), "\(withCookie)")
      let without = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: path, origin: nil))
      #expect(without.hasPrefix("HTTP/1.1 403"), "\(without)")
      #expect(Self.detail(without)?.contains("session") == true, "\(without)")
      let forged = try await Self.rawRequest(
        port: port,
        Self.upgradeRequest(
          port: port, path: path, origin: nil,
          cookie: "tau_sid=\(String(repeating: "0", count: 32))"))
      #expect(forged.hasPrefix("HTTP/1.1 403"), "\(forged)")
      #expect(Self.detail(forged)?.contains("session") == true, "\(forged)")
    }
  }

  @Test("a Host of another name is refused on the wire")
  func hostOnTheWire() async throws {
    try await TestServer().test(.live) { client in
      let port = try #require(client.port)
      let evil = try await Self.rawRequest(
        port: port, "GET /api/projects HTTP/1.1\r\nHost: evil.example:\(port)\r\n\r\n")
      #expect(evil.hasPrefix("HTTP/1.1 403"), "\(evil)")
      let noHost = try await Self.rawRequest(port: port, "GET /api/projects HTTP/1.0\r\n\r\n")
      #expect(noHost.hasPrefix("HTTP/1.0 400") || noHost.hasPrefix("HTTP/1.1 400"), "\(noHost)")
      let ours = try await Self.rawRequest(
        port: port, "GET /api/projects HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
      #expect(ours.hasPrefix("HTTP/1.1 200"), "\(ours)")
    }
  }

  @Test("a 20 MB body over the wire gets a 413 and the server stays healthy")
  func hugeBodyLive() async throws {
    try await TestServer().test(.live) { client in
      let info = try await client.createProject()
      let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 20 * 1024 * 1024)
      let response = try? await client.execute(
        uri: "/api/projects/\(info.id)/file", method: .put, body: huge)
      if let response { #expect(response.status == .contentTooLarge) }
      #expect(try await client.send(.get, "/healthz").status == .ok)
      #expect(try await client.readFile(info.id, "env.py").contains("make_env"))
    }
  }
}

@Suite("Idle connections")
struct IdleConnectionTests {
  @Test("A connection that never sends its request is closed after the idle timeout")
  func silentConnectionIsClosed() async throws {
    var server = try TestServer()
    server.configuration.idleTimeout = .seconds(1)
    try await server.test(.live) { client in
      let port = try #require(client.port)
      let closed = try await onOwnThread { () -> Bool in
        let fd = try LiveServerTests.connectedSocket(port: port)
        defer { close(fd) }
        var byte: UInt8 = 0
        // Nothing sent: the server's close reads as end of stream (0), not a time-out (-1).
        return recv(fd, &byte, 1, 0) == 0
      }
      #expect(closed, "the server kept a silent connection open")
      // The server still answers, on a fresh connection (the test client's own kept-alive
      // one may have been idle past the timeout too).
      let health = try await LiveServerTests.rawRequest(
        port: port, "GET /healthz HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n")
      #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
    }
  }
}
