import Assistant
import Foundation
import Logging
import MCP
import Projects
import Simulation

/// `tau mcp --projects-dir`: one MCP server on stdin and stdout, on a projects folder
/// directly, as the local session. Standard output carries only MCP messages.
public enum MCPStdio {
  public static func run(
    _ configuration: ServerConfiguration, simulation: SimulationServices?
  ) async throws {
    let store = try ProjectStore(
      root: configuration.projectsDirectory, limits: configuration.limits,
      logger: Logger(label: "tau.mcp"))
    let assistant = AssistantService(
      store: store, simulation: simulation, environment: configuration.assistantEnvironment,
      multiUser: false)
    let toolbox = MCPToolbox(
      store: store, simulation: simulation, assistant: assistant,
      menagerie: simulation.map { MenagerieService(store: store, simulation: $0) },
      session: .local)
    let server = await TauMCPServer.make(toolbox: toolbox)
    try await TauMCPServer.start(server, on: StdioTransport())
    await server.waitUntilCompleted()
  }
}
