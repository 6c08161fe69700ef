import Foundation
import Hummingbird
import Projects

/// JSON in and out, with the sizes bounded by the caller.
extension Response {
  /// A JSON response of `value`.
  static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
      status: status,
      headers: [.contentType: MediaTypes.json],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// `{"detail": message}` with `status`: the error shape of every route.
  static func detail(_ message: String, status: HTTPResponse.Status) -> Response {
    (try? json(ErrorDetail(detail: message), status: status))
      ?? Response(status: status)
  }
}

/// `{"detail": "..."}`.
struct ErrorDetail: Codable {
  var detail: String
}

/// `{"ok": true}`.
struct OKResponse: Codable {
  var ok = true
}

extension Request {
  /// The body, at most `limit` bytes; a larger one is a 413 naming the limit.
  mutating func collectBody(limit: Int) async throws -> ByteBuffer {
    do {
      return try await body.collect(upTo: limit)
    } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
      throw ProjectError.limitExceeded(
        "the request body is larger than the \(ProjectLimits.describe(bytes: limit)) limit")
    }
  }

  /// The body decoded from JSON, at most `limit` bytes.
  mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
    // A cross-site page can send text/plain, form and multipart bodies without asking; only
    // JSON said as JSON is read (a body without a type, from a script or curl, is too).
    if let declared = headers[.contentType], !Self.isJSON(declared) {
      throw HTTPError(
        .unsupportedMediaType,
        message: "send the body as JSON (Content-Type: application/json), not \(declared)")
    }
    let buffer = try await collectBody(limit: limit)
    do {
      return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
    } catch let error as DecodingError {
      throw ProjectError.invalidRequest(
        "the request body is not the JSON this route takes: \(Self.describe(error))")
    } catch {
      throw ProjectError.invalidRequest("the request body is not the JSON this route takes")
    }
  }

  /// A decoding error in words naming the field.
  static func describe(_ error: DecodingError) -> String {
    func field(_ path: [any CodingKey]) -> String {
      path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(field(context.codingPath + [key])) is missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "\(field(context.codingPath)) has the wrong type"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty
        ? "it is not valid JSON" : "\(field(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "it does not decode"
    }
  }

  static func isJSON(_ contentType: String) -> Bool {
    guard let type = MediaType(from: contentType), type.type == .application else { return false }
    return type.subType == "json" || type.subType.hasSuffix("+json")
  }

  /// A query parameter, percent-decoded; a 400 naming it when it is missing.
  func requiredQuery(_ name: String) throws -> String {
    guard let value = uri.queryParameters[name[...]] else {
      throw ProjectError.invalidRequest("the query parameter \(name) is required")
    }
    return String(value)
  }
}
