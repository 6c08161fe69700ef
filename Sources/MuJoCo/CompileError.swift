import Foundation

/// A model that MuJoCo refused to compile, with what the user needs to fix it.
///
/// MuJoCo reports compile errors as text; we keep its message whole and pull
/// out the file and line when it names them, so editors can jump there.
public struct CompileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// MuJoCo's message, unchanged.
  public var message: String
  /// The file the error is in: the one MuJoCo names, else the model file.
  public var file: String?
  /// The 1-based line, when MuJoCo names one.
  public var line: Int?

  public init(message: String, file: String?, line: Int?) {
    self.message = message
    self.file = file
    self.line = line
  }

  /// Parses MuJoCo's message; `modelFile` is the file that was compiled.
  public init(mujocoMessage: String, modelFile: String?) {
    let message = mujocoMessage.trimmingCharacters(in: .whitespacesAndNewlines)
    self.message = message
    // Engine errors name MuJoCo's own source line ("at setInertia0, line
    // 1252"), which means nothing to the user: only XML errors give ours.
    let isEngineError = message.contains("engine error")
    self.line =
      isEngineError
      ? nil
      : Self.firstNumber(in: message, after: ["', line ", "Line number=", "line = ", "line "])
    self.file =
      Self.quoted(in: message, after: ["opening file '", "file '", "resource '"])
      ?? modelFile
    if self.line == 0 { self.line = nil }
  }

  /// `file:line: message`, the form compilers print.
  public var description: String {
    let oneLine = message.split(separator: "\n").joined(separator: " ")
    switch (file, line) {
    case (let file?, let line?): return "\(file):\(line): \(oneLine)"
    case (let file?, nil): return "\(file): \(oneLine)"
    default: return oneLine
    }
  }

  private static func firstNumber(in text: String, after markers: [String]) -> Int? {
    for marker in markers {
      guard let range = text.range(of: marker) else { continue }
      let digits = text[range.upperBound...].prefix(while: \.isNumber)
      if let value = Int(digits) { return value }
    }
    return nil
  }

  private static func quoted(in text: String, after markers: [String]) -> String? {
    for marker in markers {
      guard let range = text.range(of: marker) else { continue }
      let rest = text[range.upperBound...]
      if let end = rest.firstIndex(of: "'") { return String(rest[..<end]) }
    }
    return nil
  }
}
