import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Outbound

/// Requests that may take minutes under a full parallel test run (a chat whose proposals
/// are checked, an import that downloads and validates): HummingbirdTesting's live client
/// gives up after 20 s without a byte, so these go through an HTTP client of their own with
/// a generous deadline, to the same live server.
struct SlowClient: Sendable {
  let port: Int

  struct Response: @unchecked Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var data: Data

    var text: String { String(decoding: data, as: UTF8.self) }
    var object: Any? { try? JSONSerialization.jsonObject(with: data) }
    var detail: String? { (object as? [String: Any])?["detail"] as? String }
  }

  func send(
    _ method: HTTPRequest.Method, _ uri: String, json: Any? = nil, headers: HTTPFields = [:]
  ) async throws -> Response {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(uri)")
    request.method = .init(rawValue: method.rawValue)
    // No pooled connection: each test's server lives on a port a later test may reuse.
    request.headers.add(name: "Connection", value: "close")
    for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
    if let json {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
    }
    let response = try await OutboundHTTP.client.execute(request, timeout: .seconds(600))
    let body = try await response.body.collect(upTo: 64 << 20)
    var fields = HTTPFields()
    for header in response.headers {
      if let name = HTTPFields.Element.Name(header.name) {
        fields.append(HTTPFields.Element(name: name, value: header.value))
      }
    }
    return Response(
      status: HTTPResponse.Status(code: Int(response.status.code)), headers: fields,
      data: Data(body.readableBytesView))
  }
}
