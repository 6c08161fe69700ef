import Foundation
import MCP
import Projects

/// The MCP sessions behind `/mcp`: each is an MCP server on a JSON (stateless) transport of
/// its own, created by an `initialize` and named by the `Mcp-Session-Id` it is answered with,
/// and each belongs to the browser session that created it (another session's id is 404).
/// JSON answers, not SSE streams: every client can read them (the Swift SDK's client on
/// Linux reads no SSE).
actor MCPSessions {
  struct Entry {
    let server: Server
    let transport: StatelessHTTPServerTransport
    let session: SessionID
    var lastUsed: ContinuousClock.Instant
  }

  let perSession = 16
  let total = 256
  let idle: Duration = .seconds(3600)
  private var entries: [String: Entry] = [:]

  /// The checks of a JSON transport, less the SDK's own Origin check: `/mcp` sits behind
  /// the server's Host, Origin and token checks like every route.
  static let validation = StandardValidationPipeline(validators: [
    AcceptHeaderValidator(mode: .jsonOnly), ContentTypeValidator(), ProtocolVersionValidator(),
  ])

  func handle(
    _ request: MCP.HTTPRequest, session: SessionID, toolbox: @Sendable () -> MCPToolbox
  ) async -> MCP.HTTPResponse {
    expire()
    if let id = request.header(HTTPHeaderName.sessionID) {
      guard var entry = entries[id], entry.session == session else {
        return .error(statusCode: 404, .invalidRequest("Not Found: no such MCP session"))
      }
      if request.method.uppercased() == "DELETE" {
        entries[id] = nil
        await entry.transport.disconnect()
        return .ok(headers: [HTTPHeaderName.sessionID: id])
      }
      entry.lastUsed = .now
      entries[id] = entry
      return Self.tagged(await entry.transport.handleRequest(request), id)
    }
    guard request.method.uppercased() == "POST", let body = request.body,
      Self.isInitialize(body)
    else {
      return .error(
        statusCode: 400,
        .invalidRequest("Bad Request: send initialize first, then \(HTTPHeaderName.sessionID)"))
    }
    guard entries.values.filter({ $0.session == session }).count < perSession,
      entries.count < total
    else {
      return .error(statusCode: 429, .invalidRequest("Too many MCP sessions; close one first"))
    }
    let id = UUID().uuidString.lowercased()
    let transport = StatelessHTTPServerTransport(validationPipeline: Self.validation)
    let server = await TauMCPServer.make(toolbox: toolbox())
    do {
      try await TauMCPServer.start(server, on: transport)
    } catch {
      return .error(statusCode: 500, .internalError("the MCP server did not start"))
    }
    let response = await transport.handleRequest(request)
    if case .error = response {
      await transport.disconnect()
      return response
    }
    entries[id] = Entry(server: server, transport: transport, session: session, lastUsed: .now)
    return Self.tagged(response, id)
  }

  /// Whether a body is a JSON-RPC `initialize` request.
  static func isInitialize(_ body: Data) -> Bool {
    struct Message: Decodable {
      var method: String?
      var id: Value?
    }
    guard let message = try? JSONDecoder().decode(Message.self, from: body) else { return false }
    return message.method == "initialize" && message.id != nil
  }

  /// `response` with the session's id in its headers.
  static func tagged(_ response: MCP.HTTPResponse, _ id: String) -> MCP.HTTPResponse {
    switch response {
    case .accepted(var headers):
      headers[HTTPHeaderName.sessionID] = id
      return .accepted(headers: headers)
    case .ok(var headers):
      headers[HTTPHeaderName.sessionID] = id
      return .ok(headers: headers)
    case .data(let data, var headers):
      headers[HTTPHeaderName.sessionID] = id
      return .data(data, headers: headers)
    case .stream(let stream, var headers):
      headers[HTTPHeaderName.sessionID] = id
      return .stream(stream, headers: headers)
    case .error(let code, let error, _, let extra):
      return .error(statusCode: code, error, sessionID: id, extraHeaders: extra)
    }
  }

  private func expire() {
    let now = ContinuousClock.now
    for (id, entry) in entries where entry.lastUsed + idle < now {
      entries[id] = nil
      Task { await entry.transport.disconnect() }
    }
  }
}
