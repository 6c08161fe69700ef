import ArgumentParser
import Foundation
import ModelWorker
import Rendering

/// `tau worker`: a long-lived process that compiles, inspects and renders
/// models for its parent over the worker protocol (stdin/stdout).
struct Worker: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve model requests over the worker protocol (started by tau itself).",
    shouldDisplay: false
  )

  @OptionGroup var gl: GLOptions

  @Flag(name: .customLong("warm-gl"), help: "Create the GL context before saying hello.")
  var warmGL = false

  @Option(
    name: .customLong("memory-limit-mb"),
    help: "Address-space limit (RLIMIT_AS) of this worker, in MB; none when absent.")
  var memoryLimitMB: Int?

  func run() throws {
    let platform = try gl.platform()
    if let memoryLimitMB, memoryLimitMB > 0 {
      try MemoryLimit.apply(megabytes: memoryLimitMB)
    }
    ModelWorkerMain.run(platform: platform, warmGL: warmGL)
  }
}
