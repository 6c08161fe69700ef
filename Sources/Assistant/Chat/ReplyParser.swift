import Foundation

/// Reads a model's answer robustly: the JSON object alone, inside a code fence, with prose
/// around it, or cut off at the token limit. What is not our object is a plain reply with no
/// proposals (the original's rule), never an error.
enum ReplyParser {
  struct Parsed: Equatable {
    var reply: String
    var proposals: [Proposal]
    /// The text was our JSON object (possibly repaired).
    var structured: Bool
    /// The answer was cut off: the proposal it was writing was dropped.
    var truncated: Bool
  }

  private struct Answer: Decodable {
    var reply: String?
    var proposals: [Proposal]?
  }

  static func parse(_ text: String) -> Parsed {
    for candidate in candidates(text) {
      if let answer = decode(candidate) {
        return Parsed(
          reply: answer.reply ?? "", proposals: answer.proposals ?? [], structured: true,
          truncated: false)
      }
    }
    if let start = text.firstIndex(of: "{"), let repaired = close(String(text[start...])),
      let answer = decode(repaired.text)
    {
      var proposals = answer.proposals ?? []
      // The proposal being written when the answer was cut is incomplete: never offer it.
      if repaired.cutInsideProposals, !proposals.isEmpty { proposals.removeLast() }
      return Parsed(
        reply: answer.reply ?? "", proposals: proposals, structured: true, truncated: true)
    }
    return Parsed(reply: text, proposals: [], structured: false, truncated: false)
  }

  private static func decode(_ text: String) -> Answer? {
    guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(text.utf8)),
      answer.reply != nil || answer.proposals != nil
    else { return nil }
    return answer
  }

  /// The whole text, a fenced block's body, and the outermost balanced object.
  static func candidates(_ text: String) -> [String] {
    var found = [text.trimmingCharacters(in: .whitespacesAndNewlines)]
    if let fence = text.range(of: "```") {
      let afterFence = text[fence.upperBound...]
      let body = afterFence.drop { $0 != "\n" }
      if let end = body.range(of: "```") { found.append(String(body[..<end.lowerBound])) }
    }
    if let object = balancedObject(text) { found.append(object) }
    return found
  }

  /// From the first `{` to the `}` that closes it, strings and escapes respected.
  static func balancedObject(_ text: String) -> String? {
    guard let start = text.firstIndex(of: "{") else { return nil }
    var depth = 0
    var inString = false
    var escaped = false
    var index = start
    while index < text.endIndex {
      let c = text[index]
      if inString {
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          inString = false
        }
      } else if c == "\"" {
        inString = true
      } else if c == "{" {
        depth += 1
      } else if c == "}" {
        depth -= 1
        if depth == 0 { return String(text[start...index]) }
      }
      index = text.index(after: index)
    }
    return nil
  }

  /// A cut-off object closed: an open string ended, open arrays and objects closed.
  static func close(_ text: String) -> (text: String, cutInsideProposals: Bool)? {
    var stack: [Character] = []
    var inString = false
    var escaped = false
    var keys: [String] = []
    var current = ""
    var lastString = ""
    for c in text {
      if inString {
        if escaped {
          escaped = false
          current.append(c)
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          inString = false
          lastString = current
        } else {
          current.append(c)
        }
        continue
      }
      switch c {
      case "\"":
        inString = true
        current = ""
      case ":": keys.append(lastString)
      case "{", "[":
        stack.append(c)
      case "}", "]":
        guard !stack.isEmpty else { return nil }
        stack.removeLast()
      default: break
      }
    }
    guard !stack.isEmpty || inString else { return nil }
    var closed = text
    if escaped { closed.removeLast() }
    if inString { closed.append("\"") }
    // A dangling key or comma cannot be closed as it stands: end after the last value.
    let trimmed = closed.trimmingCharacters(in: .whitespacesAndNewlines)
    if trimmed.hasSuffix(",") || trimmed.hasSuffix(":") {
      closed = String(trimmed.dropLast())
      if trimmed.hasSuffix(":"), let quote = closed.lastIndex(of: "\""),
        let open = closed[..<quote].lastIndex(of: "\"")
      {
        closed = String(closed[..<open])
        if closed.trimmingCharacters(in: .whitespaces).hasSuffix(",") {
          closed = String(closed.trimmingCharacters(in: .whitespaces).dropLast())
        }
      }
    }
    for open in stack.reversed() { closed.append(open == "{" ? "}" : "]") }
    // Three deep (the answer, its proposals, one proposal): cut inside a proposal.
    return (closed, stack.count >= 3 && keys.contains("proposals"))
  }
}
