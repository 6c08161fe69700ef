import Assistant
import Foundation
import HTTPTypes
import Hummingbird
import MCP
import NIOCore
import Projects
import Simulation

/// `/mcp`: MCP's Streamable HTTP (JSON answers), behind the same Host, Origin, token and
/// session checks as every route, so no web page can drive the server through it. An MCP
/// session belongs to the browser session (in multi-user mode, its `tau_sid` cookie) that
/// made it.
struct MCPRoutes {
  let store: ProjectStore
  let simulation: SimulationServices?
  let assistant: AssistantService
  let menagerie: MenagerieService?

  func register(on router: Router<TauRequestContext>) {
    let sessions = MCPSessions()
    let (store, simulation, assistant, menagerie) = (store, simulation, assistant, menagerie)
    let limit = store.limits.maxFileBytes * 2 + 1 << 20
    let handler: @Sendable (Request, TauRequestContext) async throws -> Response = {
      request, context in
      let session = try context.requireSession()
      var request = request
      let body = try await request.collectBody(limit: limit)
      var headers: [String: String] = [:]
      for field in request.headers { headers[field.name.canonicalName] = field.value }
      let mcpRequest = MCP.HTTPRequest(
        method: request.method.rawValue, headers: headers,
        body: body.readableBytes > 0 ? Data(buffer: body) : nil, path: request.uri.path)
      let answer = await sessions.handle(mcpRequest, session: session) {
        MCPToolbox(
          store: store, simulation: simulation, assistant: assistant, menagerie: menagerie,
          session: session)
      }
      return Self.response(answer)
    }
    router.post("/mcp", use: handler)
    router.get("/mcp", use: handler)
    router.delete("/mcp", use: handler)
  }

  static func response(_ answer: MCP.HTTPResponse) -> Response {
    var fields = HTTPFields()
    for (name, value) in answer.headers {
      if let name = HTTPField.Name(name) { fields[name] = value }
    }
    let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
    if case .stream = answer {
      return Response(status: .notAcceptable, headers: fields)
    }
    let body = answer.bodyData.map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? .init()
    return Response(status: status, headers: fields, body: body)
  }
}
