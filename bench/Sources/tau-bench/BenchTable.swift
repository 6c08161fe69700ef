import Foundation

enum BenchTable {
  static func row(_ cells: [String]) -> String {
    cells.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined(separator: " ")
  }

  static func number(_ value: Double) -> String {
    value >= 1000 ? String(format: "%.0fk", value / 1000) : String(format: "%.0f", value)
  }
}
