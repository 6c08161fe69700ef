import ArgumentParser
import Foundation
import Rendering
import Workers

/// `tau validate PATH`: does the model compile? Exit 0 if so, else 1 with
/// `file:line: message` lines. The model is compiled in a tau worker, so
/// even a model that crashes MuJoCo only costs that worker.
struct Validate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check that an MJCF model (a .xml file or a project folder) compiles.")

  @Argument(help: "An .xml file or a project folder.")
  var path: String

  @Flag(help: "Print the result as JSON.")
  var json = false

  @OptionGroup var gl: GLOptions

  func run() async throws {
    let output = try await validate()
    if json {
      let data = try JSONEncoder.sortedPretty.encode(output.report)
      print(String(decoding: data, as: UTF8.self))
    } else if let error = output.errorLine {
      FileHandle.standardError.write(Data((error + "\n").utf8))
    } else {
      print("\(output.report.file): ok")
    }
    if !output.report.ok { throw ExitCode(1) }
  }

  struct Report: Encodable {
    var ok: Bool
    var file: String
    var summary: ModelSummary?
    /// The worker's failure (kind, message, and for a compile error its file and line),
    /// or just a message.
    var error: JSONValue?
  }

  private func validate() async throws -> (report: Report, errorLine: String?) {
    let file: String
    do {
      file = try ModelPath.resolve(path)
    } catch {
      let message = String(describing: error)
      return (Report(ok: false, file: path, error: .object(["message": .string(message)])), message)
    }
    let platform = try gl.platform()
    let pool = WorkerLauncher.pool(platform: platform, maximumWorkers: 1)
    defer { Task { await pool.shutdown() } }
    let client = ModelWorkerClient(pool: pool)
    do {
      let summary = try await client.load(.file(path: file))
      return (Report(ok: true, file: file, summary: summary), nil)
    } catch WorkerError.failed(let failure) {
      return (
        Report(ok: false, file: file, error: try JSONValue(encoding: failure)), failure.message
      )
    } catch {
      let message = "\(file): \(error)"
      return (Report(ok: false, file: file, error: .object(["message": .string(message)])), message)
    }
  }
}
