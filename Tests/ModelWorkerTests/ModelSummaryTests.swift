import MuJoCo
import TestSupport
import Testing
import Workers

@testable import ModelWorker

@Suite("Model summaries")
struct ModelSummaryTests {
  @Test("The summary names the cartpole's parts")
  func summary() throws {
    let model = try Model(contentsOf: try TestPaths.cartpoleScene().path)
    let summary = ModelSummary(model)
    #expect(summary.timestep == 0.01)
    #expect(summary.nu == 1)
    #expect(summary.nq == 2)
    #expect(summary.bodies.contains("cart"))
    #expect(summary.bodies.contains("pole"))
    #expect(summary.actuators.count == 1)
  }

  @Test("The panda's summary names its joints")
  func pandaJoints() throws {
    let scene = TestPaths.menagerie.appendingPathComponent("franka_emika_panda/panda.xml")
    let model = try Model(contentsOf: scene.path)
    #expect(ModelSummary(model).joints.contains("joint1"))
  }

  @Test("A request the worker does not know is answered with a request failure")
  func unknownRequest() {
    let service = ModelWorkerService(platform: .osmesa)
    let reply = service.handle(Frame("no_such_request"))
    guard case .failed(let failure) = reply else {
      Issue.record("expected a failure, got \(reply)")
      return
    }
    #expect(failure.kind == .request)
    #expect(failure.message.contains("no_such_request"))
  }
}
