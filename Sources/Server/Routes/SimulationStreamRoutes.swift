import Foundation
import Hummingbird
import HummingbirdWebSocket
import Projects

/// The live stream `WebSocket /ws/sim/{project_id}`.
///
/// Until the simulation issue lands, a connection for a known project gets one error log and a
/// `done` message with a reason, in the stream's own message shapes. The upgrade itself already
/// goes through every guard (Host, token, Origin, session cookie), and a plain `GET` (no upgrade)
/// is answered with a 404 for an unknown project or a 400.
struct SimulationStreamRoutes {
  let store: ProjectStore

  struct LogMessage: Encodable {
    var type = "log"
    var level: String
    var message: String
  }

  struct DoneMessage: Encodable {
    var type = "done"
    var total_reward: Double
    var reason: String
  }

  /// The upgrade route, on the WebSocket router.
  func register(onWebSocketRouter router: Router<TauRequestContext>) {
    let store = store
    router.ws("/ws/sim/:id") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      _ = try await store.run { try $0.project(session: session, id: id) }
      return .upgrade([:])
    } onUpgrade: { _, outbound, _ in
      let encoder = JSONEncoder()
      let log = LogMessage(level: "error", message: "simulation is not available in this build yet")
      let done = DoneMessage(total_reward: 0, reason: "simulation unavailable")
      try await outbound.write(.text(String(decoding: try encoder.encode(log), as: UTF8.self)))
      try await outbound.write(.text(String(decoding: try encoder.encode(done), as: UTF8.self)))
    }
  }

  /// The same path on the HTTP router: explains why a request was not upgraded.
  func register(on router: Router<TauRequestContext>) {
    let store = store
    router.get("/ws/sim/:id") { _, context -> Response in
      let session = try context.requireSession()
      let id = try context.projectID()
      _ = try await store.run { try $0.project(session: session, id: id) }
      throw HTTPError(.badRequest, message: "this address takes a WebSocket upgrade")
    }
  }
}
