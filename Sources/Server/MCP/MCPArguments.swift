import MCP

/// A tool call's arguments, read as untrusted as a request body: a missing or mistyped field,
/// or a number out of its range, is an error that names it.
struct MCPArguments {
  let values: [String: Value]

  init(_ values: [String: Value]?) { self.values = values ?? [:] }

  func string(_ name: String) throws -> String {
    guard let value = optionalString(name) else {
      throw MCPToolError("\(name) is required (a string)")
    }
    return value
  }

  func optionalString(_ name: String) -> String? {
    values[name]?.stringValue
  }

  func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
    guard let value = values[name], value != .null else { return fallback }
    let number: Int
    if let int = value.intValue {
      number = int
    } else if let double = value.doubleValue, double == double.rounded(), abs(double) < 1e12 {
      number = Int(double)
    } else {
      throw MCPToolError("\(name) must be a whole number")
    }
    guard range.contains(number) else {
      throw MCPToolError("\(name) must be within \(range.lowerBound)...\(range.upperBound)")
    }
    return number
  }

  func array(_ name: String) throws -> [Value] {
    guard let array = values[name]?.arrayValue else {
      throw MCPToolError("\(name) is required (an array)")
    }
    return array
  }
}

/// A tool's failure in words (the agent reads it as the tool's error result).
struct MCPToolError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
