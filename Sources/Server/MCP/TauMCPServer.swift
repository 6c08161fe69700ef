import Assistant
import Foundation
import MCP
import Projects
import Synchronization
import Workers

/// An MCP server of tau-sim for one browser session: the tools of `MCPToolbox`, the
/// project files as resources (`tau://project/{id}/{path}`), and a prompt that explains the
/// env contract. Made once per MCP session, on stdio (`tau mcp`) or behind `/mcp`.
enum TauMCPServer {
  static let instructions = """
    tau-sim is a MuJoCo simulation IDE. A project holds an MJCF scene and a Python env \
    (env.py). Read and write its files, validate the scene, run episodes headless and look \
    at them (snapshot, filmstrip), check a change before writing it (check_change), and \
    import robots from MuJoCo Menagerie. Every write is kept in the file's history, so the \
    user can undo it; the user watches the projects in the browser. Use the prompt \
    `tau_env_contract` to learn what an env must offer.
    """

  /// The server, its handlers registered; `start` it on a transport.
  static func make(toolbox: MCPToolbox) async -> Server {
    let server = Server(
      name: "tau-sim", version: TauVersion.current, title: "tau-sim",
      instructions: instructions,
      capabilities: Server.Capabilities(
        prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false),
        tools: .init(listChanged: false)))
    let client = ClientName()
    await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: MCPToolList.all) }
    await server.withMethodHandler(CallTool.self) { [weak server] params in
      let token = params._meta?.progressToken
      let notifier = server
      let progress: MCPToolbox.Progress = { done, total, message in
        guard let token, let server = notifier else { return }
        try? await server.notify(
          ProgressNotification.message(
            .init(progressToken: token, progress: done, total: total, message: message)))
      }
      return await toolbox.call(
        params.name, params.arguments, client: client.name, progress: progress)
    }
    await server.withMethodHandler(ListResources.self) { _ in
      ListResources.Result(resources: try await resources(toolbox))
    }
    await server.withMethodHandler(ListResourceTemplates.self) { _ in
      ListResourceTemplates.Result(templates: [
        Resource.Template(
          uriTemplate: "tau://project/{id}/{path}", name: "project file",
          description: "A file of a tau-sim project", mimeType: "text/plain")
      ])
    }
    await server.withMethodHandler(ReadResource.self) { params in
      ReadResource.Result(contents: [try await read(params.uri, toolbox)])
    }
    await server.withMethodHandler(ListPrompts.self) { _ in
      ListPrompts.Result(prompts: [
        Prompt(
          name: "tau_env_contract",
          description: "What a tau-sim project's env must offer, and the project's rules.",
          arguments: [
            .init(name: "project", description: "A project id (optional)", required: false)
          ])
      ])
    }
    await server.withMethodHandler(GetPrompt.self) { params in
      guard params.name == "tau_env_contract" else {
        throw MCPError.invalidParams("no prompt named \(params.name)")
      }
      var text = envContract
      if let id = params.arguments?["project"].flatMap({ try? ProjectID($0) }),
        let info = try? await toolbox.store.run({ [session = toolbox.session] in
          try $0.project(session: session, id: id)
        })
      {
        text +=
          "\n\nThe project \(info.name) (\(info.id)) holds: "
          + info.files.joined(separator: ", ")
      }
      return GetPrompt.Result(
        description: "The env contract", messages: [.user(.text(text: text))])
    }
    clientNames.withLock { $0[ObjectIdentifier(server)] = client }
    return server
  }

  /// Starts `server` on `transport`, keeping the client's name for the file history.
  static func start(_ server: Server, on transport: any Transport) async throws {
    let client = clientNames.withLock { $0[ObjectIdentifier(server)] }
    try await server.start(transport: transport) { info, _ in
      client?.set(info.name)
    }
  }

  static let clientNames = Mutex<[ObjectIdentifier: ClientName]>([:])

  /// The client's name from its `initialize`, for the history ("by MCP client NAME").
  final class ClientName: Sendable {
    private let value = Mutex("an MCP client")
    var name: String { value.withLock { $0 } }
    func set(_ name: String) {
      let clean = name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
      value.withLock { $0 = String(String.UnicodeScalarView(clean)).prefix(100).description }
    }
  }

  static let envContract = """
    A tau-sim project simulates one system with MuJoCo. Its entry module is env.py (else the \
    first *_env.py); make_env() returns an object with:
    - xml_path: a project-relative MJCF file (default scene.xml), inside the project;
    - reset(model, data) or reset(data): sets the initial state and returns the observation;
    - step(model, data, action): applies the action (usually data.ctrl[:] = action) and \
    returns (obs, reward, done);
    - policy(obs): returns an action of length model.nu.
    The runner calls mj_step itself after each step() (one control step is one video frame). \
    The project folder is importable for helper modules; numpy and mujoco are available.
    Rules: paths stay inside the project (no absolute paths, no "..", no hidden files); never \
    write meshes or textures (import robots with menagerie_import); validate or check_change \
    before writing a scene or an env, and run_episode after, reading errors by file and line.
    """

  static func resources(_ toolbox: MCPToolbox) async throws -> [Resource] {
    let projects = try await toolbox.store.run { [session = toolbox.session] in
      try $0.listProjects(session: session)
    }
    return projects.flatMap { project in
      project.files.prefix(200).map { path in
        Resource(
          name: "\(project.name): \(path)", uri: "tau://project/\(project.id)/\(path)",
          mimeType: path.hasSuffix(".xml") ? "application/xml" : "text/plain")
      }
    }
  }

  static func read(_ uri: String, _ toolbox: MCPToolbox) async throws -> Resource.Content {
    let prefix = "tau://project/"
    guard uri.hasPrefix(prefix) else {
      throw MCPError.invalidParams("not a tau-sim resource: \(uri)")
    }
    let rest = uri.dropFirst(prefix.count)
    guard let slash = rest.firstIndex(of: "/") else {
      throw MCPError.invalidParams("a resource is tau://project/{id}/{path}")
    }
    let id = try ProjectID(String(rest[..<slash]))
    let path = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
    do {
      let text = try await toolbox.store.run { [session = toolbox.session] in
        try $0.readFile(session: session, id: id, path: path)
      }
      return .text(
        text, uri: uri, mimeType: path.hasSuffix(".xml") ? "application/xml" : "text/plain")
    } catch {
      throw MCPError.invalidParams(MCPToolbox.describe(error))
    }
  }
}
