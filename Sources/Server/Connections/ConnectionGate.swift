import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Counts the server's open connections, in all and per client address, and refuses one over
/// `ConnectionLimits`. Shared by every connection of a server; its lock is held for a few
/// dictionary operations, never across I/O.
final class ConnectionGate: Sendable {
  /// Descriptors kept for everything but connections: workers' pipes, files, the listener.
  static let reservedDescriptors = 256

  /// Why a connection was refused, as its 503 says.
  enum Refusal: Error, Equatable {
    case total(Int)
    case perAddress(Int)

    var detail: String {
      switch self {
      case .total(let limit):
        return "The server has \(limit) connections open, its limit; try again shortly."
      case .perAddress(let limit):
        return "Your address has \(limit) connections open, the limit per address; close some."
      }
    }
  }

  private struct Counts {
    var total = 0
    var byAddress: [String: Int] = [:]
  }

  let total: Int
  let perAddress: Int
  private let counts = Mutex(Counts())

  init(_ limits: ConnectionLimits) {
    total = max(1, min(limits.total, Self.descriptorLimit() - Self.reservedDescriptors))
    perAddress = max(1, limits.perAddress)
  }

  /// Takes a place for a connection from `address`; `release` gives it back.
  func admit(_ address: String) -> Result<Void, Refusal> {
    counts.withLock { counts in
      if counts.total >= total { return .failure(.total(total)) }
      let fromAddress = counts.byAddress[address, default: 0]
      if fromAddress >= perAddress { return .failure(.perAddress(perAddress)) }
      counts.total += 1
      counts.byAddress[address] = fromAddress + 1
      return .success(())
    }
  }

  func release(_ address: String) {
    counts.withLock { counts in
      counts.total -= 1
      let left = counts.byAddress[address, default: 1] - 1
      counts.byAddress[address] = left > 0 ? left : nil
    }
  }

  /// The connections open now, for tests and logs.
  var open: Int { counts.withLock { $0.total } }

  /// The process's descriptor limit, raised to its hard limit first: a server is meant to
  /// hold many sockets, and the soft default (1,024) is the shell's, not the system's.
  static func descriptorLimit() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
    if limit.rlim_cur < limit.rlim_max {
      var raised = limit
      raised.rlim_cur = min(limit.rlim_max, 1 << 20)
      if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    return Int(clamping: limit.rlim_cur)
  }

  /// The answer to a refused connection, written before it is closed: a client sees why.
  static func response(_ refusal: Refusal) -> String {
    let encoded = try? JSONEncoder().encode(["detail": refusal.detail])
    let body = encoded.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    return "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
      + "content-length: \(body.utf8.count)\r\nretry-after: 5\r\nconnection: close\r\n\r\n\(body)"
  }
}

/// The whole pipeline of a refused connection: it writes the 503 as soon as the socket is
/// active and closes, reading nothing.
final class RefusedConnection: ChannelInboundHandler, Sendable {
  typealias InboundIn = ByteBuffer
  let answer: String

  init(_ refusal: ConnectionGate.Refusal) { answer = ConnectionGate.response(refusal) }

  // Added during setup: the socket may be active already, or become so later.
  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { refuse(context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    refuse(context)
  }

  private func refuse(_ context: ChannelHandlerContext) {
    let buffer = context.channel.allocator.buffer(string: answer)
    // The completion runs on the context's event loop, the one place the context may be used.
    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
    context.writeAndFlush(NIOAny(buffer)).whenComplete { _ in
      bound.value.close(promise: nil)
    }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
