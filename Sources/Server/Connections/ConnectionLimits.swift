/// How many connections the server holds open, and how long a request head may take.
///
/// The descriptors a process may hold are few (1,024 by default), so idle connections, one
/// client's or many's, would otherwise starve everything else of them, `/healthz` included.
public struct ConnectionLimits: Sendable, Equatable {
  /// Open connections in all (`TAU_MAX_CONNECTIONS`); never more than the descriptor limit
  /// allows (`ConnectionGate` keeps a reserve for workers and files).
  public var total: Int
  /// Open connections from one address (`TAU_MAX_CONNECTIONS_PER_ADDRESS`). Behind a reverse
  /// proxy every client has the proxy's address: raise it there.
  public var perAddress: Int
  /// A connection whose first request head has not arrived whole after this long is closed,
  /// however slowly it keeps sending (`TAU_HEADER_TIMEOUT`).
  public var requestHeadTimeout: Duration

  public init(total: Int = 1024, perAddress: Int = 128, requestHeadTimeout: Duration = .seconds(30))
  {
    self.total = total
    self.perAddress = perAddress
    self.requestHeadTimeout = requestHeadTimeout
  }
}

extension ConnectionLimits {
  /// The limits `tau serve` runs with: the defaults, unless the environment names others.
  public init(environment: [String: String]) {
    self.init()
    if let value = environment["TAU_MAX_CONNECTIONS"].flatMap(Int.init), value > 0 {
      total = value
    }
    if let value = environment["TAU_MAX_CONNECTIONS_PER_ADDRESS"].flatMap(Int.init), value > 0 {
      perAddress = value
    }
    if let value = environment["TAU_HEADER_TIMEOUT"].flatMap(Double.init), value > 0 {
      requestHeadTimeout = .milliseconds(Int64(value * 1000))
    }
  }
}
