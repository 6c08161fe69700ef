import Foundation

/// A vendor's own words, made fit to show a user: found in its error body, on one line,
/// bounded, and with the key taken out (OpenAI's 401 quotes part of the key it refused).
enum VendorText {
  /// How much of an error body is read and searched.
  static let scannedErrorBytes = 64 << 10
  /// How much of a vendor's message an error carries.
  static let maximumCharacters = 300

  /// The message in an error body: `error.message` (OpenAI, OpenRouter, Gemini, Anthropic),
  /// a string `error`, a top-level `message` (vLLM) or `detail`, else the body's text.
  static func errorMessage(in body: Data) -> String? {
    let data = body.prefix(scannedErrorBytes)
    if let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
      return message(in: value)
    }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(
      in: .whitespacesAndNewlines)
    // A proxy's HTML error page says nothing the status does not.
    if text.isEmpty || text.hasPrefix("<") { return nil }
    return text
  }

  private static func message(in value: Any) -> String? {
    if let list = value as? [Any], let first = list.first { return message(in: first) }
    guard let object = value as? [String: Any] else { return value as? String }
    if let error = object["error"] as? [String: Any], let text = error["message"] as? String {
      return text
    }
    if let text = object["error"] as? String { return text }
    if let text = object["message"] as? String { return text }
    if let text = object["detail"] as? String { return text }
    return nil
  }

  /// `text` on one line, at most `maximumCharacters`, with `key` and anything that looks
  /// like a masked copy of it replaced.
  static func quoted(_ text: String, key: String?) -> String {
    var words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).map(String.init)
    if let key, !key.isEmpty {
      let head = key.count >= 8 ? String(key.prefix(8)) : nil
      let tail = key.count >= 12 ? String(key.suffix(6)) : nil
      words = words.map { word in
        if word.contains(key) { return word.replacingOccurrences(of: key, with: "[key]") }
        if let head, word.contains(head) { return "[key]" }
        if let tail, word.contains(tail) { return "[key]" }
        if word.contains("***") { return "[key]" }
        return word
      }
    }
    let line = words.joined(separator: " ")
    guard line.count > maximumCharacters else { return line }
    return String(line.prefix(maximumCharacters - 1)) + "…"
  }
}
