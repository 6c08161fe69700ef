import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

@Suite("Static files")
struct StaticFileTests {
  @Test("the web app is served, app routes get index.html, missing files 404")
  func webApp() async throws {
    try await TestServer().test { client in
      let index = try await client.send(.get, "/")
      #expect(index.status == .ok)
      #expect(index.text.contains("tau-sim"))
      #expect(index.headers[.contentType]?.hasPrefix("text/html") == true)
      let script = try await client.send(.get, "/js/app.js")
      #expect(script.status == .ok)
      #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
      #expect(try await client.send(.get, "/projects/abc").text.contains("tau-sim"))
      #expect(try await client.send(.get, "/missing.js").status == .notFound)
    }
  }

  @Test("no request path reaches outside web/ or the vendor folders")
  func traversal() async throws {
    let web = try makeTemporaryFolder()
    let secret = try makeTemporaryFolder()
    try "<h1>tau-sim</h1>".write(
      to: web.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
    try "secret".write(
      to: secret.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: web.appendingPathComponent("escape").path, withDestinationPath: secret.path)
    try await TestServer(webDirectory: web).test { client in
      for path in [
        "/..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/escape/secret.txt",
        "/vendor/..%2F..%2F..%2Fetc%2Fpasswd", "/vendor/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/../../etc/passwd", "/..%5c..%5cetc%5cpasswd", "/.%00./etc/passwd",
        "/vendor/.%2e/.%2e/.%2e/etc/passwd",
      ] {
        let response = try await client.send(.get, path)
        #expect(!response.text.contains("secret"), "\(path)")
        #expect(!response.text.contains("root:"), "\(path)")
        #expect(
          response.status == .notFound || response.status == .badRequest
            || (response.status == .ok && response.text.contains("tau-sim")),
          "\(path): \(response.status)")
      }
    }
  }

  @Test("/vendor/ serves Debian's browser libraries, following their links into /usr/share/nodejs")
  func vendor() async throws {
    let javascript = try makeTemporaryFolder()
    let nodejs = try makeTemporaryFolder()
    let outside = try makeTemporaryFolder()
    try FileManager.default.createDirectory(
      at: nodejs.appendingPathComponent("lib"), withIntermediateDirectories: true)
    try "export const ok = 1;".write(
      to: nodejs.appendingPathComponent("lib/lib.mjs"), atomically: true, encoding: .utf8)
    try "secret".write(
      to: outside.appendingPathComponent("x.js"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: javascript.appendingPathComponent("lib").path,
      withDestinationPath: nodejs.appendingPathComponent("lib").path)
    try FileManager.default.createSymbolicLink(
      atPath: javascript.appendingPathComponent("bad").path, withDestinationPath: outside.path)
    var server = try TestServer()
    server.configuration.vendorDirectories = [javascript, nodejs]
    try await server.test { client in
      let lib = try await client.send(.get, "/vendor/lib/lib.mjs")
      #expect(lib.status == .ok)
      #expect(lib.text == "export const ok = 1;")
      #expect(lib.headers[.contentType]?.hasPrefix("text/javascript") == true)
      let bad = try await client.send(.get, "/vendor/bad/x.js")
      #expect(bad.status == .notFound)
      #expect(!bad.text.contains("secret"))
    }
  }
}
