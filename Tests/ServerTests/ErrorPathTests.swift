import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

/// Errors name a project's files as the user knows them, relative to the project: never
/// the server's projects folder, nor the session id inside it.
@Suite("Error messages name project files relatively")
struct ErrorPathTests {
  @Test("A model the render worker refuses is named by its project path")
  func renderWorkerErrors() async throws {
    let server = try TestServer()
    let root = server.configuration.projectsDirectory.path
    try await server.testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      _ = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 3, "width": 64, "height": 48])
        return await stream.untilDone()
      }
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
      try await SimulationStreamTests.write(
        client, project: project.id, path: "scene.xml",
        "<mujoco><worldbody><oops/></worldbody></mujoco>")

      let frame = try await client.send(
        .get, "/api/projects/\(project.id)/runs/\(run)/frame?step=1")
      #expect(frame.status == .badRequest)
      let detail = try #require(frame.detail)
      #expect(detail.contains("scene.xml"), "\(detail)")
      #expect(!detail.contains(root), "\(detail)")
      #expect(!detail.contains("/local/"), "\(detail)")
      #expect(!detail.contains(project.id.rawValue), "\(detail)")

      let snapshot = try await client.send(
        .post, "/api/projects/\(project.id)/snapshot", json: ["steps": 1])
      #expect(snapshot.status == .unprocessableContent)
      let message = try #require(snapshot.detail)
      #expect(!message.contains(root), "\(message)")
      #expect(!message.contains(project.id.rawValue), "\(message)")
    }
  }
}
