import ArgumentParser
import Foundation
import Logging
import Server

/// `tau mcp`: tau-sim for coding agents over MCP's stdio transport, either against a
/// running IDE (`--server`, so the user sees the agent's work in the browser) or on a
/// projects folder directly.
struct MCP: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve tau-sim's tools to a coding agent over MCP (stdio).")

  @Option(help: "A running tau server (e.g. http://127.0.0.1:7860): its /mcp does the work.")
  var server: String?
  @Option(help: "The server's access token (default: TAU_TOKEN).") var token: String?
  @Option(help: "Work on this projects folder directly (default: PROJECTS_DIR, ~/.tau/projects).")
  var projectsDir: String?

  func validate() throws {
    if server != nil, projectsDir != nil {
      throw ValidationError("use --server or --projects-dir, not both")
    }
  }

  func run() async throws {
    // Standard output is the protocol's: logs go to standard error.
    LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
    if let server {
      try await MCPBridge(
        server: server, token: token ?? ProcessInfo.processInfo.environment["TAU_TOKEN"]
      ).run()
      return
    }
    var serve = try Serve.parse(projectsDir.map { ["--projects-dir", $0] } ?? [])
    serve.port = 0
    let environment = Serve.loadEnvironment()
    let configuration = try serve.makeConfiguration(environment)
    setenv("MUJOCO_GL", configuration.mujocoGL, 1)
    let simulation = try Serve.makeSimulation(configuration, environment: environment)
    try await MCPStdio.run(configuration, simulation: simulation)
    await simulation.shutdown()
  }
}
