import Foundation
import Hummingbird
import Workers

/// Numbers and pictures of requests and responses, checked and shaped in one place.
enum RequestValues {
  static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws -> Int?
  {
    guard let text = request.uri.queryParameters.get(name) else { return nil }
    guard let value = Int(text) else {
      throw HTTPError(.badRequest, message: "\(name) must be a whole number")
    }
    return try bounded(value, name, range)
  }

  static func bounded(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
    guard range.contains(value) else {
      throw HTTPError(
        .badRequest,
        message: "\(name) = \(value) is outside \(range.lowerBound)...\(range.upperBound)")
    }
    return value
  }

  static func image(_ data: Data, format: RenderOptions.Format) -> Response {
    Response(
      status: .ok,
      headers: [.contentType: (format == .png ? MediaType.imagePng : .imageJpeg).description],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
