import Assistant
import Foundation
import Hummingbird
import MCP
import Projects
import Simulation
import Workers

/// What the tools do, for one browser session (an MCP session belongs to one; a local
/// server's is `local`). Inputs are untrusted exactly like HTTP requests: the same store, path
/// rules, limits and sandbox. Writes are attributed in the file history to the MCP client.
struct MCPToolbox: Sendable {
  let store: ProjectStore
  let simulation: SimulationServices?
  let assistant: AssistantService
  let menagerie: MenagerieService?
  let session: SessionID

  /// Reports a long tool's progress (done, total, what) to the client that asked for it.
  typealias Progress = @Sendable (Double, Double?, String?) async -> Void

  func call(
    _ name: String, _ arguments: [String: Value]?, client: String, progress: @escaping Progress
  ) async -> CallTool.Result {
    let args = MCPArguments(arguments)
    do {
      return try await dispatch(name, args, client: client, progress: progress)
    } catch {
      return CallTool.Result(
        content: [.text(text: Self.describe(error), annotations: nil, _meta: nil)], isError: true)
    }
  }

  private func dispatch(
    _ name: String, _ args: MCPArguments, client: String, progress: @escaping Progress
  ) async throws -> CallTool.Result {
    switch name {
    case "list_projects":
      return try Self.result(
        try await store.run { [session] in try $0.listProjects(session: session) })
    case "create_project":
      return try Self.result(try await createProject(args))
    case "list_files":
      let id = try project(args)
      return try Self.result(
        try await store.run { [session] in try $0.project(session: session, id: id) }.files)
    case "read_file":
      let id = try project(args)
      let path = try args.string("path")
      let text = try await store.run { [session] in
        try $0.readFile(session: session, id: id, path: path)
      }
      return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)])
    case "write_file":
      let id = try project(args)
      let (path, content) = (try args.string("path"), try args.string("content"))
      let source = ChangeSource(
        kind: "mcp", client: String(client.prefix(ChangeSource.maximumFieldLength)))
      try await store.run { [session] in
        try $0.writeFile(session: session, id: id, path: path, content: content, source: source)
      }
      return try Self.result(["ok": true])
    case "file_history":
      let id = try project(args)
      let path = try args.string("path")
      return try Self.result(
        try await store.run { [session] in
          try $0.history(session: session, id: id, path: path)
        })
    case "restore_file":
      let id = try project(args)
      let (path, version) = (try args.string("path"), try args.string("version"))
      try await store.run { [session] in
        try $0.restoreVersion(session: session, id: id, path: path, version: version)
      }
      return try Self.result(["ok": true])
    case "validate":
      return try Self.result(try await validate(args))
    case "model_tree":
      return try Self.result(try await modelTree(args))
    case "run_episode":
      return try Self.result(try await runEpisode(args, progress: progress))
    case "get_run":
      return try Self.result(try await run(args))
    case "snapshot":
      return try await snapshot(args)
    case "filmstrip":
      return try await filmstrip(args)
    case "check_change":
      return try Self.result(try await checkChange(args, progress: progress))
    case "menagerie_search":
      return try Self.result(try await menagerieSearch(args))
    case "menagerie_import":
      guard let menagerie else { throw MCPToolError("this server has no Menagerie importer") }
      let id = try project(args)
      return try Self.result(
        try await menagerie.importRobot(
          try args.string("model"), entry: args.optionalString("entry"), into: id, session: session)
      )
    default:
      throw MCPToolError("no tool named \(name)")
    }
  }

  func project(_ args: MCPArguments) throws -> ProjectID {
    try ProjectID(try args.string("project"))
  }

  func services() throws -> SimulationServices {
    guard let simulation else { throw MCPToolError("this server runs no simulation") }
    return simulation
  }

  /// A structured result, and the same as JSON text for clients that read only text.
  static func result<T: Encodable>(_ value: T) throws -> CallTool.Result {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    // Structured content is an object; a list goes under `items`.
    var structured = try JSONDecoder().decode(Value.self, from: data)
    if structured.objectValue == nil { structured = .object(["items": structured]) }
    return try CallTool.Result(
      content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
      structuredContent: Optional(structured))
  }

  /// Any failure as the words an HTTP client would read.
  static func describe(_ error: any Error) -> String {
    switch error {
    case let error as ProjectError: error.detail
    case let error as HTTPError: error.body ?? "\(error.status)"
    case let error as ProviderError: error.message
    case let error as MenagerieFailure: error.message
    case let error as WorkerError: error.description
    case let error as MCPToolError: error.description
    default: "\(error)"
    }
  }
}
