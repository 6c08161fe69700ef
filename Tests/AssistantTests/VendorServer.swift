import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP/1.1 server that plays a vendor: it records every request it receives and
/// answers from a script, one reply per request in order. A reply's body goes out as
/// separate chunks, each flushed after a short pause, so a test can cut a stream anywhere
/// (inside a UTF-8 character, inside the JSON); a reply may also break the connection off
/// mid-stream.
final class VendorServer: Sendable {
  /// A request as the server received it.
  struct Request: Sendable {
    var method: HTTPMethod
    /// The path and query.
    var target: String
    var headers: HTTPHeaders
    var body: Data

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }
  }

  /// One scripted answer.
  struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var chunks: [[UInt8]]
    /// The pause before each chunk.
    var pause: Duration = .milliseconds(2)
    /// Close the connection after the chunks instead of ending the body.
    var breaksOff = false
    /// A long wait after this many chunks (a vendor that stops sending).
    var stallsAfter: Int?

    init(status: Int, headers: HTTPHeaders = HTTPHeaders(), chunks: [[UInt8]]) {
      self.status = status
      self.headers = headers
      self.chunks = chunks
    }

    /// A whole JSON body with 200.
    static func json(_ text: String) -> Reply { json(200, text) }

    /// A whole JSON body.
    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> Reply {
      var fields = HTTPHeaders(headers)
      fields.add(name: "Content-Type", value: "application/json")
      fields.add(name: "Content-Length", value: String(text.utf8.count))
      return Reply(status: status, headers: fields, chunks: [Array(text.utf8)])
    }

    /// An event stream (chunked), cut inside every multibyte character and in the middle
    /// of every line.
    static func stream(_ text: String) -> Reply {
      var fields = HTTPHeaders()
      fields.add(name: "Content-Type", value: "text/event-stream")
      return Reply(status: 200, headers: fields, chunks: awkwardChunks(text))
    }
  }

  /// `text` as byte chunks cut one byte into every multibyte UTF-8 character and halfway
  /// along every line.
  static func awkwardChunks(_ text: String) -> [[UInt8]] {
    let bytes = Array(text.utf8)
    var cuts = Set<Int>()
    var lineStart = 0
    for (index, byte) in bytes.enumerated() {
      if byte >= 0xC0 { cuts.insert(index + 1) }
      if byte == UInt8(ascii: "\n") {
        cuts.insert((lineStart + index) / 2)
        lineStart = index + 1
      }
    }
    var chunks: [[UInt8]] = []
    var start = 0
    for cut in cuts.sorted() where cut > start && cut < bytes.count {
      chunks.append(Array(bytes[start..<cut]))
      start = cut
    }
    chunks.append(Array(bytes[start...]))
    return chunks
  }

  private struct State {
    var replies: [Reply]
    var requests: [Request] = []
    var closedWhileAnswering = 0
  }

  let port: Int
  private let state: Mutex<State>

  private init(port: Int, replies: [Reply]) {
    self.port = port
    state = Mutex(State(replies: replies))
  }

  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// The requests received so far, in order.
  var requests: [Request] { state.withLock { $0.requests } }

  /// How many connections the client closed while a reply was still being sent.
  var closedWhileAnswering: Int { state.withLock { $0.closedWhileAnswering } }

  /// Runs `body` with a server that answers `replies` in order (a 500 once they run out),
  /// and stops the server when `body` ends.
  static func run<T>(
    _ replies: [Reply], _ body: (VendorServer) async throws -> T
  ) async throws -> T {
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: "127.0.0.1", port: 0) { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.configureHTTPServerPipeline()
          return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
            wrappingChannelSynchronously: channel)
        }
      }
    let server = VendorServer(port: listener.channel.localAddress?.port ?? 0, replies: replies)
    return try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask {
        try await withThrowingDiscardingTaskGroup { connections in
          try await listener.executeThenClose { inbound in
            for try await connection in inbound {
              connections.addTask { await server.serve(connection) }
            }
          }
        }
      }
      defer {
        listener.channel.close(promise: nil)
        group.cancelAll()
      }
      return try await body(server)
    }
  }

  /// A loopback port nothing listens on (bound, then closed).
  static func closedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
  }

  private func serve(
    _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
  ) async {
    let answering = Mutex(false)
    connection.channel.closeFuture.whenComplete { _ in
      if answering.withLock({ $0 }) { self.state.withLock { $0.closedWhileAnswering += 1 } }
    }
    await withTaskCancellationHandler {
      try? await connection.executeThenClose { inbound, outbound in
        var head: HTTPRequestHead?
        var body = Data()
        for try await part in inbound {
          switch part {
          case .head(let received):
            head = received
            body = Data()
          case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
          case .end:
            guard let head else { continue }
            let reply = record(
              Request(method: head.method, target: head.uri, headers: head.headers, body: body))
            answering.withLock { $0 = true }
            let ended = try await send(reply, to: outbound)
            answering.withLock { $0 = false }
            // Returning closes the connection, mid-body.
            if !ended { return }
          }
        }
      }
    } onCancel: {
      connection.channel.close(promise: nil)
    }
  }

  private func record(_ request: Request) -> Reply {
    state.withLock { state in
      state.requests.append(request)
      guard !state.replies.isEmpty else {
        return .json(500, #"{"error":{"message":"the test scripted no more replies"}}"#)
      }
      return state.replies.removeFirst()
    }
  }

  /// Whether the reply ended as HTTP says (false: it broke off).
  private func send(
    _ reply: Reply, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
  ) async throws -> Bool {
    let head = HTTPResponseHead(
      version: .http1_1, status: HTTPResponseStatus(statusCode: reply.status),
      headers: reply.headers)
    try await outbound.write(.head(head))
    for (index, chunk) in reply.chunks.enumerated() {
      try await Task.sleep(for: index == reply.stallsAfter ? .seconds(120) : reply.pause)
      try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk))))
    }
    if reply.breaksOff { return false }
    try await outbound.write(.end(nil))
    return true
  }
}
