import Foundation

/// What a streaming chat reports as it goes (`POST /api/chat/stream`, as Server-Sent
/// Events named after each case).
public enum ChatEvent: Sendable, Equatable {
  /// Reply text as the model writes it (of the first round; later rounds are repairs).
  case text(String)
  /// The simulator is checking (what it does now).
  case checking(String)
  /// A repair round began, with the errors sent back.
  case repair(round: Int, issues: [String])
  /// The final answer.
  case response(ChatResponse)
  case error(status: Int, message: String)
}

extension ChatEvent {
  /// The event as Server-Sent Events text: `event: NAME` and one `data:` line of JSON.
  public var serverSentEvent: String {
    let (name, object): (String, any Encodable) =
      switch self {
      case .text(let text): ("text", ["text": text])
      case .checking(let message): ("checking", ["message": message])
      case .repair(let round, let issues): ("repair", RepairBody(round: round, issues: issues))
      case .response(let response): ("response", response)
      case .error(let status, let message): ("error", ErrorBody(status: status, detail: message))
      }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let data = (try? encoder.encode(object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    return "event: \(name)\ndata: \(data)\n\n"
  }

  private struct RepairBody: Encodable {
    var round: Int
    var issues: [String]
  }

  private struct ErrorBody: Encodable {
    var status: Int
    var detail: String
  }
}
