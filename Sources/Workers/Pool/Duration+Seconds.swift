/// A duration in seconds, as a number (error messages, rates).
extension Duration {
  public var seconds: Double {
    let (seconds, attoseconds) = components
    return Double(seconds) + Double(attoseconds) / 1e18
  }
}
