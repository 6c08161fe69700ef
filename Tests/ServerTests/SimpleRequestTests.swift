import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Testing

@testable import Server

/// What a cross-site page can send without asking (text/plain, form and multipart bodies)
/// writes nothing; names that read as other names are refused.
@Suite("Simple requests and deceptive names")
struct SimpleRequestTests {
  @Test("A JSON body sent as text, form or multipart is refused with 415 and writes nothing")
  func onlyJSONSaidAsJSON() async throws {
    try await TestServer().test { client in
      let body = #"{"name": "planted", "template": "empty"}"#
      for type in [
        "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ] {
        let response = try await client.execute(
          uri: "/api/projects", method: .post, headers: [.contentType: type],
          body: ByteBuffer(string: body))
        #expect(response.status == .unsupportedMediaType, "\(type)")
        #expect(response.detail?.contains("application/json") == true, "\(type)")
      }
      let listed = try await client.send(.get, "/api/projects")
      #expect(!listed.text.contains("planted"))
      let json = try await client.execute(
        uri: "/api/projects", method: .post,
        headers: [.contentType: "application/json; charset=utf-8"],
        body: ByteBuffer(string: body))
      #expect(json.status == .ok || json.status == .created, "\(json.text)")
    }
  }

  @Test("A file name with a bidirectional control character is refused")
  func bidirectionalNames() async throws {
    try await TestServer().test { client in
      let info = try await client.createProject()
      for name in ["evil\u{202E}yp.txt", "a\u{2066}b.py", "x\u{200F}.xml"] {
        let response = try await client.send(
          .put, "/api/projects/\(info.id)/file", json: ["path": name, "content": "x"])
        #expect(response.status == .badRequest, "\(name.debugDescription)")
        #expect(response.detail?.contains("bidirectional") == true, "\(response.text)")
      }
    }
  }
}
