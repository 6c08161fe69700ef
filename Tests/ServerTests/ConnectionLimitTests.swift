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

/// The attack of issue 10.11: idle connections by the hundred, and a request head trickled
/// a byte at a time, must not take the server from everyone else.
@Suite("Connection limits")
struct ConnectionLimitTests {
  /// Opens `count` connections from `source` and sends nothing; returns the sockets, and the
  /// responses of those the server refused (it answers those without a request). Waits up to
  /// 10 s for `refusals` of them (the server may be slow to get to them under load).
  static func idleConnections(port: Int, from source: String, count: Int, refusals expected: Int)
    async throws -> (open: [Int32], refusals: [String])
  {
    try await onOwnThread {
      var open = try (0..<count).map { _ in
        try LiveServerTests.connectedSocket(port: port, from: source)
      }
      var refusals: [String] = []
      let deadline = ContinuousClock.now + .seconds(10)
      repeat {
        usleep(100_000)
        open = open.filter { fd in
          var buffer = [UInt8](repeating: 0, count: 1024)
          let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
          guard n > 0 else { return true }
          refusals.append(String(decoding: buffer[0..<n], as: UTF8.self))
          close(fd)
          return false
        }
      } while refusals.count < expected && ContinuousClock.now < deadline
      // Past the expected refusals, a moment for any unexpected one.
      usleep(300_000)
      open = open.filter { fd in
        var byte: UInt8 = 0
        guard recv(fd, &byte, 1, Int32(MSG_DONTWAIT)) > 0 else { return true }
        refusals.append("(another refusal)")
        close(fd)
        return false
      }
      return (open, refusals)
    }
  }

  @Test("One address's idle connections stop at its cap; other clients are served meanwhile")
  func perAddressAndTotalCaps() async throws {
    var server = try TestServer()
    server.configuration.connections = ConnectionLimits(total: 30, perAddress: 20)
    try await server.test(.live) { client in
      let port = try #require(client.port)
      let attacker = try await Self.idleConnections(
        port: port, from: "127.0.0.5", count: 60, refusals: 40)
      defer { attacker.open.forEach { close($0) } }
      #expect(attacker.open.count == 20)
      #expect(attacker.refusals.count == 40)
      let refusal = try #require(attacker.refusals.first)
      #expect(refusal.hasPrefix("HTTP/1.1 503"), "\(refusal)")
      #expect(refusal.contains("the limit per address"), "\(refusal)")

      // Another client is served at once, while the attacker's connections stay open.
      let health = try await LiveServerTests.rawRequest(
        port: port, from: "127.0.0.6", "GET /healthz HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n")
      #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")

      // A second address fills the rest: the server's own cap refuses the surplus, and says so.
      let second = try await Self.idleConnections(
        port: port, from: "127.0.0.7", count: 20, refusals: 10)
      defer { second.open.forEach { close($0) } }
      #expect(second.open.count + attacker.open.count <= 30)
      #expect(
        second.refusals.contains { $0.contains("connections open, its limit") },
        "\(second.refusals.first ?? "no refusal")")
    }
  }

  @Test("Closed connections give their places back")
  func placesComeBack() async throws {
    var server = try TestServer()
    server.configuration.connections = ConnectionLimits(total: 30, perAddress: 5)
    try await server.test(.live) { client in
      let port = try #require(client.port)
      let first = try await Self.idleConnections(
        port: port, from: "127.0.0.8", count: 5, refusals: 0)
      #expect(first.open.count == 5 && first.refusals.isEmpty)
      first.open.forEach { close($0) }
      // The server notices the closes on its event loop; give it a moment.
      var health = ""
      for _ in 0..<50 {
        health = try await LiveServerTests.rawRequest(
          port: port, from: "127.0.0.8", "GET /healthz HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n")
        if health.hasPrefix("HTTP/1.1 200") { break }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(health.hasPrefix("HTTP/1.1 200"), "\(health)")
    }
  }

  @Test("A request head trickled a byte at a time is cut off at the header timeout")
  func slowHeaderIsCut() async throws {
    var server = try TestServer()
    server.configuration.connections = ConnectionLimits(requestHeadTimeout: .seconds(1))
    try await server.test(.live) { client in
      let port = try #require(client.port)
      let cutAfter = try await onOwnThread { () -> Duration? in
        let fd = try LiveServerTests.connectedSocket(port: port)
        defer { close(fd) }
        let started = ContinuousClock.now
        let head = Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\n".utf8)
        _ = send(fd, head, head.count, Int32(MSG_NOSIGNAL))
        // Each header line restarts an idle timer; only a deadline for the whole head ends it.
        while ContinuousClock.now - started < .seconds(20) {
          let line = Array("X-Slow: a\r\n".utf8)
          // Closed: a send fails (reset), or a read sees the end (or the reset).
          if send(fd, line, line.count, Int32(MSG_NOSIGNAL)) < 0 {
            return ContinuousClock.now - started
          }
          var byte: UInt8 = 0
          var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
          setsockopt(
            fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
          let read = recv(fd, &byte, 1, 0)
          if read == 0 || (read < 0 && errno == ECONNRESET) {
            return ContinuousClock.now - started
          }
        }
        return nil
      }
      let after = try #require(cutAfter, "the trickled request was never cut off")
      #expect(after < .seconds(10))
    }
  }
}
