import Foundation

/// The CLI's `--json` output: stable keys, readable, paths unescaped.
extension JSONEncoder {
  static var sortedPretty: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}
