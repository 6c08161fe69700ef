import Assistant
import Foundation
import Synchronization
import Testing

/// A key no message may ever show (every test checks every error against it).
let distinctiveKey = "sk-test-QX7zK2Lp9WvR4tYb8NcM"

/// Settings for a loopback vendor: quick retries, a short ceiling on any wait the vendor
/// asks for, so retry tests stay short.
func testSettings(
  _ server: VendorServer, path: String = "", key: String? = distinctiveKey,
  keyOptional: Bool = false, keyVariable: String = "OPENAI_API_KEY", model: String = "test-model"
) -> ProviderSettings {
  testSettings(
    baseURL: server.baseURL + path, key: key, keyOptional: keyOptional,
    keyVariable: keyVariable, model: model)
}

func testSettings(
  baseURL: String, key: String? = distinctiveKey, keyOptional: Bool = false,
  keyVariable: String = "OPENAI_API_KEY", model: String = "test-model"
) -> ProviderSettings {
  var settings = ProviderSettings(
    baseURL: baseURL, apiKey: key, defaultModel: model, keyOptional: keyOptional,
    keyVariable: keyVariable)
  settings.retry.initialDelay = .milliseconds(10)
  settings.retry.maximumDelay = .milliseconds(100)
  settings.totalTimeout = .seconds(30)
  return settings
}

/// The `ProviderError` `operation` throws (nil when it throws none, or another error),
/// checked never to carry the key.
func providerError(_ operation: () async throws -> some Any) async -> ProviderError? {
  do {
    _ = try await operation()
    return nil
  } catch let error as ProviderError {
    #expect(!error.message.contains(distinctiveKey), "the key leaked: \(error.message)")
    #expect(!error.message.contains(String(distinctiveKey.suffix(8))))
    return error
  } catch {
    Issue.record("expected a ProviderError, got \(error)")
    return nil
  }
}

/// The pieces of a streamed answer, as `onText` receives them.
final class TextPieces: Sendable {
  private let pieces = Mutex<[String]>([])

  var onText: @Sendable (String) -> Void {
    { piece in self.pieces.withLock { $0.append(piece) } }
  }

  var all: [String] { pieces.withLock { $0 } }
  var joined: String { all.joined() }
}

/// A request with a system text, an earlier exchange and a picture on the last turn.
func sampleRequest(format: ResponseFormat, model: String = "test-model") -> ModelRequest {
  ModelRequest(
    model: model, system: "You edit MuJoCo models.",
    messages: [
      ModelMessage(role: .user, text: "Hello"),
      ModelMessage(role: .assistant, text: "Hi, what should change?"),
      ModelMessage(role: .user, text: "Make it heavier", images: [samplePicture]),
    ],
    format: format, maxTokens: 1234)
}

let samplePicture = ImageAttachment(mediaType: .png, data: Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]))

let sampleSchema = JSONSchema(
  json: #"""
    {"type":"object","additionalProperties":false,"required":["reply"],
     "properties":{"reply":{"type":"string"}}}
    """#)

/// A value at a path of JSON objects and arrays ("messages", 0, "content").
func value(_ json: Any?, _ path: Any...) -> Any? {
  var current = json
  for step in path {
    if let key = step as? String {
      current = (current as? [String: Any])?[key]
    } else if let index = step as? Int {
      guard let list = current as? [Any], list.indices.contains(index) else { return nil }
      current = list[index]
    }
  }
  return current
}

/// A JSON string literal of `text` (for building vendor answers).
func quoted(_ text: String) -> String {
  let data = try! JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
  return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}
