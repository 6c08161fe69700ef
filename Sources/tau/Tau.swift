import ArgumentParser
import MuJoCo
import Workers

/// `tau`: the tau-sim command line. Bare `tau` serves the IDE.
struct Tau: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tau",
    abstract: "tau-sim: a web IDE for MuJoCo robot simulation with an LLM assistant.",
    version: "tau \(TauVersion.current), MuJoCo \(MuJoCoLibrary.loadedVersion)",
    subcommands: [
      Serve.self, Run.self, Validate.self, Render.self, Menagerie.self, Manual.self, MCP.self,
      Worker.self,
      DebugWrite.self,
    ],
    defaultSubcommand: Serve.self
  )
}
