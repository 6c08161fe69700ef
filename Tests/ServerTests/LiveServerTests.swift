import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
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
  static func rawRequest(port: Int, _ text: String) async throws -> String {
    try await BlockingIO.run { try blockingRequest(port: port, text) }
  }

  static func blockingRequest(port: Int, _ text: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else { throw TestFailure("connect failed") }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let bytes = Array(text.utf8)
    guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw TestFailure("send failed") }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
      let n = recv(fd, &buffer, buffer.count, 0)
      if n <= 0 { break }
      received += buffer[0..<n]
    }
    return String(decoding: received, as: UTF8.self)
  }

  /// A refused upgrade: a 4xx status, never 101.
  static func isRefused(_ head: String) -> Bool {
    head.hasPrefix("HTTP/1.1 4")
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
      // On the wire a refused upgrade is hummingbird-websocket's bare 400 (the in-process
      // router tests see the 403 and its detail); what matters is that it is not a 101.
      for origin in ["http://evil.example", "null", "http://localhost:1"] {
        let refused = try await Self.rawRequest(
          port: port, Self.upgradeRequest(port: port, path: path, origin: origin))
        #expect(Self.isRefused(refused), "\(origin): \(refused)")
      }
      let unknown = try await Self.rawRequest(
        port: port, Self.upgradeRequest(port: port, path: "/ws/sim/0123456789", origin: nil))
      #expect(Self.isRefused(unknown), "\(unknown)")
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
      #expect(Self.isRefused(without), "\(without)")
      let forged = try await Self.rawRequest(
        port: port,
        Self.upgradeRequest(
          port: port, path: path, origin: nil,
          cookie: "tau_sid=\(String(repeating: "0", count: 32))"))
      #expect(Self.isRefused(forged), "\(forged)")
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
