import Foundation

/// Reads `KEY=value` lines of a `.env` file: comments (`#`) and blank lines are skipped, an
/// `export ` prefix is allowed, and single or double quotes around a value are removed.
public enum DotEnv {
  /// The variables of the file at `url`; empty when there is no such file.
  public static func load(_ url: URL) -> [String: String] {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
    return parse(text)
  }

  /// The variables of `.env` text.
  public static func parse(_ text: String) -> [String: String] {
    var values: [String: String] = [:]
    for rawLine in text.split(whereSeparator: \.isNewline) {
      var line = rawLine.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
      guard let equals = line.firstIndex(of: "=") else { continue }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      if value.count >= 2, let first = value.first, first == "\"" || first == "'",
        value.last == first
      {
        value = String(value.dropFirst().dropLast())
      } else if let hash = value.range(of: " #") {
        value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
      }
      guard !key.isEmpty else { continue }
      values[key] = value
    }
    return values
  }

  /// `environment` with the `.env` values filled in where the environment has none
  /// (the environment wins).
  public static func merged(environment: [String: String], dotEnv: [String: String]) -> [String:
    String]
  {
    environment.merging(dotEnv) { fromEnvironment, _ in fromEnvironment }
  }
}
