import Foundation
import Projects
import TestSupport
import Testing

/// Runs the templates' own `env.py` in `.venv`'s Python as the runner would.
@Suite("Template environments")
struct TemplateEnvTests {
  struct Summary: Decodable {
    var steps: Int
    var done_at: Int?
    var substeps: Int
    var max_abs_state: [Double]
    var final_state: [Double]
  }

  static let python = packageRoot.appendingPathComponent(".venv/bin/python")

  static func run(template: String, steps: Int = 1000) async throws -> Summary {
    let store = try ProjectStore(root: try makeTemporaryFolder())
    let info = try store.createProject(session: .local, name: template, template: template)
    let folder = try store.projectURL(session: .local, id: info.id)
    let result = try await ProcessRunner.run(
      python.path,
      [
        packageRoot.appendingPathComponent("Tests/ServerTests/Fixtures/run_env.py").path,
        folder.path, String(steps),
      ])
    guard result.status == 0 else {
      throw TestFailure("run_env.py failed for \(template): \(result.stderr)")
    }
    return try JSONDecoder().decode(Summary.self, from: Data(result.stdout.utf8))
  }

  @Test(
    "the cartpole policy balances the pole for 1000 steps and keeps the cart near the centre")
  func cartpoleBalances() async throws {
    let summary = try await Self.run(template: "cartpole")
    #expect(summary.substeps == 3)
    #expect(summary.steps == 1000)
    #expect(summary.done_at == nil)
    #expect(summary.max_abs_state[0] < 1.0, "cart went to \(summary.max_abs_state[0])")
    #expect(abs(summary.final_state[1]) < 0.05)
  }

  @Test(
    "the pendulum swings up and stays upright")
  func pendulumSwingsUp() async throws {
    let summary = try await Self.run(template: "pendulum", steps: 600)
    #expect(summary.done_at == nil)
    let angle = summary.final_state[0].truncatingRemainder(dividingBy: 2 * .pi)
    #expect(abs(angle) < 0.05 || abs(abs(angle) - 2 * .pi) < 0.05, "final angle \(angle)")
  }
}
