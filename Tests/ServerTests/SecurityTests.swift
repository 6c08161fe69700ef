import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

@Suite("Security: hosts, origins, tokens, headers")
struct SecurityTests {
  @Test("a foreign Host is refused (DNS rebinding); our own names pass")
  func hostCheck() async throws {
    // Router tests send the authority "localhost" without a port: our own name on port 80.
    try await TestServer(port: 80, allowedHosts: ["tau.lan"]).test { client in
      #expect(try await client.send(.get, "/api/projects").status == .ok)
      #expect(try await client.send(.get, "/").status == .ok)
      for host in ["evil.example", "evil.example:80", "localhost:9999", "127.0.0.1.evil.example"] {
        let api = try await client.send(.get, "/api/projects", headers: [.testHost: host])
        #expect(api.status == .forbidden, "\(host)")
        #expect(api.detail?.contains("not one of this server's names") == true)
        let page = try await client.send(.get, "/", headers: [.testHost: host])
        #expect(page.status == .forbidden, "\(host)")
      }
      let configured = try await client.send(.get, "/api/projects", headers: [.testHost: "tau.lan"])
      #expect(configured.status == .ok)
    }
    try await TestServer(port: 7860).test { client in
      // "localhost" without a port is not this server's origin on port 7860.
      let response = try await client.send(.get, "/api/projects")
      #expect(response.status == .forbidden)
    }
  }

  @Test("the host allow list knows loopback names, ports, configured names and IP literals")
  func hostAllowList() {
    let local = HostAllowList(
      configuration: ServerConfiguration(
        port: 7860, projectsDirectory: URL(fileURLWithPath: "/tmp"),
        allowedHosts: ["tau.lan", "proxy.example:443"]))
    for host in [
      "127.0.0.1:7860", "localhost:7860", "[::1]:7860", "tau.lan:7860", "proxy.example:443",
    ] {
      #expect(local.accepts(host), "\(host)")
    }
    for host in [
      "evil.example:7860", "localhost:80", "localhost", "127.0.0.1:7861", "tau.lan:80",
      "10.0.0.5:7860", "localhost:7860@evil", "", "[::1", "local host:7860",
    ] {
      #expect(!local.accepts(host), "\(host)")
    }
    let wildcard = HostAllowList(
      configuration: ServerConfiguration(
        host: "0.0.0.0", port: 7860, projectsDirectory: URL(fileURLWithPath: "/tmp")))
    #expect(wildcard.accepts("192.168.1.20:7860"))
    #expect(!wildcard.accepts("rebind.evil.example:7860"))
  }

  @Test("cross-origin POST, PUT, DELETE and WebSocket upgrades are refused; same-origin ones work")
  func originCheck() async throws {
    try await TestServer(port: 80).test { client in
      let info = try await client.createProject()
      let foreign: [HTTPFields] = [
        [.origin: "http://evil.example"], [.origin: "null"], [.origin: "http://localhost:8080"],
        [.origin: "https://localhost.evil.example"], [.testSecFetchSite: "cross-site"],
        [.testSecFetchSite: "same-site"],
      ]
      for headers in foreign {
        let post = try await client.send(
          .post, "/api/projects", json: ["name": "x"], headers: headers)
        #expect(post.status == .forbidden, "POST \(headers)")
        let put = try await client.send(
          .put, "/api/projects/\(info.id)/file", json: ["path": "env.py", "content": "pwned"],
          headers: headers)
        #expect(put.status == .forbidden, "PUT \(headers)")
        let delete = try await client.send(.delete, "/api/projects/\(info.id)", headers: headers)
        #expect(delete.status == .forbidden, "DELETE \(headers)")
        var upgrade = headers
        upgrade[.testUpgrade] = "websocket"
        upgrade[.connection] = "Upgrade"
        let ws = try await client.send(.get, "/ws/sim/\(info.id)", headers: upgrade)
        #expect(ws.status == .forbidden, "upgrade \(headers)")
        #expect(ws.headers[.accessControlAllowOrigin] == nil)
      }
      #expect(try await client.readFile(info.id, "env.py") != "pwned")
      #expect(try await client.send(.get, "/api/projects").json([ProjectInfo].self).count == 1)

      let same: HTTPFields = [.origin: "http://localhost", .testSecFetchSite: "same-origin"]
      let post = try await client.send(.post, "/api/projects", json: ["name": "y"], headers: same)
      #expect(post.status == .ok)
      try await client.writeFile(info.id, "env.py", "mine\n", headers: same)
      let delete = try await client.send(.delete, "/api/projects/\(info.id)", headers: same)
      #expect(delete.status == .ok)
      // A top-level navigation from another site to the page itself is fine.
      let page = try await client.send(.get, "/", headers: [.testSecFetchSite: "cross-site"])
      #expect(page.status == .ok)
    }
  }

  @Test("pages carry the security headers and no CORS header")
  func securityHeaders() async throws {
    try await TestServer().test { client in
      for path in ["/", "/api/projects", "/nope.js"] {
        let response = try await client.send(
          .get, path, headers: [.origin: "http://localhost"])
        let csp = response.headers[HTTPFields.Element.Name("Content-Security-Policy")!] ?? ""
        #expect(csp.contains("default-src 'self'"), "\(path)")
        #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
        #expect(response.headers[HTTPFields.Element.Name("X-Content-Type-Options")!] == "nosniff")
        #expect(response.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "no-referrer")
        #expect(response.headers[.accessControlAllowOrigin] == nil)
        #expect(response.headers[.accessControlAllowCredentials] == nil)
      }
    }
  }

  @Test(
    "a non-loopback server needs its token: 401 without, 403 wrong, cookie after the first visit")
  func token() async throws {
    let token = "0123456789abcdef0123456789abcdef"
    try await TestServer(token: token, host: "0.0.0.0", port: 80, allowedHosts: ["localhost"]).test
    {
      client in
      let none = try await client.send(.get, "/api/projects")
      #expect(none.status == .unauthorized)
      let wrong = try await client.send(.get, "/api/projects?token=nope")
      #expect(wrong.status == .forbidden)
      #expect(try await client.send(.get, "/healthz").status == .ok)

      let visit = try await client.send(.get, "/?token=\(token)")
      #expect(visit.status == .seeOther)
      #expect(visit.headers[.location] == "/")
      let cookie = try #require(setCookie(visit, named: "tau_token"))
      #expect(cookie.contains("HttpOnly"))
      #expect(cookieValue(cookie) == token)

      let withCookie = try await client.send(
        .get, "/api/projects", headers: [.cookie: "tau_token=\(token)"])
      #expect(withCookie.status == .ok)
      let bearer = try await client.send(
        .get, "/api/projects", headers: [.authorization: "Bearer \(token)"])
      #expect(bearer.status == .ok)
      let wrongCookie = try await client.send(
        .get, "/api/projects", headers: [.cookie: "tau_token=\(String(token.reversed()))"])
      #expect(wrongCookie.status == .forbidden)
    }
  }

  @Test("the browser URL carries the token only when there is one")
  func browserURL() {
    var configuration = ServerConfiguration(projectsDirectory: URL(fileURLWithPath: "/tmp"))
    #expect(configuration.browserURL() == "http://127.0.0.1:7860/")
    #expect(configuration.bindsLoopback)
    configuration.host = "0.0.0.0"
    configuration.token = "abc"
    #expect(!configuration.bindsLoopback)
    #expect(configuration.browserURL() == "http://127.0.0.1:7860/?token=abc")
  }
}
