import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Outbound

/// Carries MCP messages between stdio and a running server's `/mcp`: each line read is
/// POSTed (with the session id the server gave, and the token), each JSON answer written
/// as one line. Requests go concurrently, so a long tool call does not hold up a ping.
struct MCPBridge {
  let server: String
  let token: String?

  actor Session {
    var id: String?
    func set(_ value: String?) { if let value { id = value } }
  }

  actor Output {
    func write(_ data: Data) {
      guard !data.isEmpty else { return }
      FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
  }

  func run() async throws {
    let endpoint = (server.hasSuffix("/") ? String(server.dropLast()) : server) + "/mcp"
    let session = Session()
    let output = Output()
    let lines = AsyncStream<Data> { continuation in
      Thread.detachNewThread {
        while let line = readLine(strippingNewline: true) {
          if !line.isEmpty { continuation.yield(Data(line.utf8)) }
        }
        continuation.finish()
      }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
      var first = true
      for await line in lines {
        let message = line
        let task: @Sendable () async throws -> Void = {
          try await forward(message, to: endpoint, session: session, output: output)
        }
        // The initialize goes alone: its answer names the session the rest belong to.
        if first {
          try await task()
          first = false
        } else {
          group.addTask(operation: task)
        }
      }
      try await group.waitForAll()
    }
  }

  func forward(_ message: Data, to endpoint: String, session: Session, output: Output)
    async throws
  {
    var request = HTTPClientRequest(url: endpoint)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Accept", value: "application/json, text/event-stream")
    if let token { request.headers.add(name: "Cookie", value: "tau_token=\(token)") }
    if let id = await session.id { request.headers.add(name: "Mcp-Session-Id", value: id) }
    request.body = .bytes(ByteBuffer(bytes: message))
    do {
      let response = try await OutboundHTTP.client.execute(request, timeout: .seconds(3600))
      await session.set(response.headers.first(name: "Mcp-Session-Id"))
      let body = Data((try await response.body.collect(upTo: 256 << 20)).readableBytesView)
      if !body.isEmpty, body.first == UInt8(ascii: "{") || body.first == UInt8(ascii: "[") {
        await output.write(body)
      } else if response.status.code >= 400 {
        await output.write(
          Self.error(
            for: message,
            "\(response.status.code): \(String(decoding: body.prefix(300), as: UTF8.self))"))
      }
    } catch {
      await output.write(Self.error(for: message, "cannot reach \(server): \(error)"))
    }
  }

  /// A JSON-RPC error answer to `message` (when it was a request).
  static func error(for message: Data, _ text: String) -> Data {
    struct Request: Decodable { var id: IDValue? }
    enum IDValue: Codable {
      case int(Int)
      case string(String)
      init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) {
          self = .int(i)
        } else {
          self = .string(try c.decode(String.self))
        }
      }
      func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        }
      }
    }
    struct Answer: Encodable {
      var jsonrpc = "2.0"
      var id: IDValue
      var error: Failure
    }
    struct Failure: Encodable {
      var code = -32603
      var message: String
    }
    guard let id = (try? JSONDecoder().decode(Request.self, from: message))?.id else {
      return Data()
    }
    return (try? JSONEncoder().encode(Answer(id: id, error: Failure(message: text)))) ?? Data()
  }
}
