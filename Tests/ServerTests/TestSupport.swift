import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Server
import TestSupport

/// The package root (the folder holding Package.swift).
let packageRoot = TestPaths.packageRoot

/// A fresh empty folder under the system's temporary folder.
func makeTemporaryFolder() throws -> URL { try TestPaths.temporaryFolder() }

/// A real tau application on a fresh projects folder, driven in process (`.router`) or on a
/// loopback socket (`.live`).
struct TestServer {
  var configuration: ServerConfiguration

  init(
    multiUser: Bool = false, token: String? = nil, host: String = "127.0.0.1", port: Int = 0,
    allowedHosts: [String] = [], limits: ProjectLimits = ProjectLimits(),
    webDirectory: URL? = packageRoot.appendingPathComponent("web")
  ) throws {
    configuration = ServerConfiguration(
      host: host, port: port, projectsDirectory: try makeTemporaryFolder(), multiUser: multiUser,
      webDirectory: webDirectory, allowedHosts: allowedHosts, token: token, limits: limits)
    // HummingbirdTesting's live client keeps one connection and, unlike a browser, does not
    // reconnect when the server closes it as idle: a test that streams a long run between two
    // requests on it would fail with "I/O on closed channel". Tests of the idle close set less.
    configuration.idleTimeout = .seconds(900)
  }

  var projectsDirectory: URL { configuration.projectsDirectory }

  func test<T>(
    _ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    let app = try await buildApplication(configuration)
    return try await app.test(setup, body)
  }
}

extension TestResponse {
  /// The body as text.
  var text: String { String(buffer: body) }

  /// The body decoded from JSON.
  func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(text.utf8))
  }

  /// The body as a JSON object or array (for shape checks).
  var object: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }

  /// `detail` of an error body.
  var detail: String? { (object as? [String: Any])?["detail"] as? String }
}

extension TestClientProtocol {
  /// A request with a JSON body.
  func send(
    _ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, headers: HTTPFields = [:]
  ) async throws -> TestResponse {
    var body: ByteBuffer?
    var headers = headers
    if let json {
      body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
      headers[.contentType] = "application/json"
    }
    return try await execute(uri: uri, method: method, headers: headers, body: body)
  }

  /// Creates a project and returns its info.
  func createProject(
    name: String = "test", template: String = "cartpole", headers: HTTPFields = [:]
  )
    async throws -> ProjectInfo
  {
    let response = try await send(
      .post, "/api/projects", json: ["name": name, "template": template], headers: headers)
    guard response.status == .ok else {
      throw TestFailure("create failed: \(response.status) \(response.text)")
    }
    return try response.json(ProjectInfo.self)
  }

  /// Writes a file and checks it worked.
  func writeFile(_ id: ProjectID, _ path: String, _ content: String, headers: HTTPFields = [:])
    async throws
  {
    let response = try await send(
      .put, "/api/projects/\(id)/file", json: ["path": path, "content": content], headers: headers)
    guard response.status == .ok else {
      throw TestFailure("write failed: \(response.status) \(response.text)")
    }
  }

  /// Reads a file's content.
  func readFile(_ id: ProjectID, _ path: String, headers: HTTPFields = [:]) async throws -> String {
    let response = try await send(
      .get,
      "/api/projects/\(id)/file?path=\(path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path)",
      headers: headers)
    guard response.status == .ok else {
      throw TestFailure("read failed: \(response.status) \(response.text)")
    }
    return (response.object as? [String: Any])?["content"] as? String ?? ""
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension HTTPFields.Element.Name {
  static let testSecFetchSite = Self("Sec-Fetch-Site")!
  static let testHost = Self("Host")!
  static let testUpgrade = Self("Upgrade")!
  static let testForwardedProto = Self("X-Forwarded-Proto")!
}

/// The `name=value` of a `Set-Cookie` header for `name`, and its attributes.
func setCookie(_ response: TestResponse, named name: String) -> String? {
  response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
}

/// The value of a cookie from its `Set-Cookie` header.
func cookieValue(_ header: String) -> String {
  String(header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)[1])
}
