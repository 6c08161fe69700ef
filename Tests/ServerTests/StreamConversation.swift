import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import Projects
import Server
import Simulation
import TestSupport
import Workers

/// A server with the real simulation back end: python workers from
/// `.venv`, tau workers from the built `tau` binary.
extension TestServer {
  func testWithSimulation<T>(
    limits: EpisodeLimits = EpisodeLimits(), perSession: Int = 2, total: Int = 4,
    renderWorkers: Int = 2, sandboxedRenderers: Bool = false,
    menagerie: [String: String]? = nil,
    github: GitHubMenagerie? = GitHubMenagerie(apiBase: "http://127.0.0.1:9/unreachable"),
    firstMessageTimeout: Duration = .seconds(10), logger: Logger? = nil,
    _ body: @Sendable (any TestClientProtocol, SimulationServices) async throws -> T
  ) async throws -> T {
    // Episodes keep to the same quota as the API.
    var limits = limits
    limits.project = configuration.limits
    var simulation = SimulationServices(
      installRoot: packageRoot, projectsRoot: configuration.projectsDirectory,
      renderPool: WorkerPool(
        command: WorkerCommand(
          executable: TestPaths.tauExecutable, arguments: ["worker", "--mujoco-gl", "osmesa"],
          environment: ["PATH": "/usr/bin:/bin"]), maximumWorkers: renderWorkers),
      limits: limits, perSession: perSession, total: total,
      projectPools: sandboxedRenderers ? projectPools(renderWorkers) : nil)
    simulation.stream.firstMessageTimeout = firstMessageTimeout
    // Menagerie from the local robots only, with an empty cache of the test's own: no network.
    let cache = try makeTemporaryFolder()
    simulation.menagerie.settings =
      menagerie ?? [
        "MENAGERIE_ROOT": TestPaths.menagerie.path, "MENAGERIE_CACHE_DIR": cache.path,
        "HOME": cache.path, "MENAGERIE_BASE_URL": "http://127.0.0.1:9/unreachable",
      ]
    // GitHub's contents API (models outside the registry) only where a test serves it.
    simulation.menagerie.github = github
    let services = simulation
    let app = try await buildApplication(configuration, logger: logger, simulation: services)
    let result = try await app.test(.live) { client in try await body(client, services) }
    await simulation.shutdown()
    return result
  }
}

extension TestServer {
  /// Render workers of one project each, in their sandboxes, as a hosted server runs them.
  func projectPools(_ maximumIdle: Int) -> ProjectWorkerPools {
    let sandbox = RenderWorkerSandbox(
      bubblewrap: SandboxMounts.bubblewrap ?? "/usr/bin/bwrap",
      executable: TestPaths.tauExecutable, installRoot: packageRoot,
      projectsRoot: configuration.projectsDirectory, gpu: false)
    return ProjectWorkerPools(maximumIdle: maximumIdle) { project in
      sandbox.command(
        WorkerCommand(
          executable: TestPaths.tauExecutable, arguments: ["worker", "--mujoco-gl", "osmesa"],
          environment: ["PATH": "/usr/bin:/bin"]), project: project)
    }
  }
}

/// What a stream sent: a JSON message, and for binary frames the JPEG.
///
/// Unchecked Sendable: `[String: Any]` from JSONSerialization holds only immutable
/// Foundation values (strings, numbers, arrays, dictionaries).
struct StreamMessage: @unchecked Sendable {
  var json: [String: Any]
  var jpeg: Data?
  var binary: Bool

  var type: String { json["type"] as? String ?? "" }
  var step: Int? { json["step"] as? Int }
  var message: String { json["message"] as? String ?? "" }
  var level: String { json["level"] as? String ?? "" }

  /// The frame's JPEG: the binary payload or the decoded `jpeg_b64`.
  var image: Data? { jpeg ?? (json["jpeg_b64"] as? String).flatMap { Data(base64Encoded: $0) } }
}

/// One WebSocket conversation with `/ws/sim/{id}`, message by message.
///
/// Unchecked Sendable: one test drives a conversation, from one task at a time.
final class StreamConversation: @unchecked Sendable {
  private let queue: TimedQueue<StreamMessage>
  private let outbound: WebSocketOutboundWriter
  private(set) var received: [StreamMessage] = []

  init(messages: AsyncStream<StreamMessage>, outbound: WebSocketOutboundWriter) {
    queue = TimedQueue(draining: messages)
    self.outbound = outbound
  }

  func send(_ object: [String: Any]) async throws {
    let data = try JSONSerialization.data(withJSONObject: object)
    try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
  }

  /// Sends a message built outside the conversation's task (a JSONValue is Sendable).
  func send(_ object: [String: JSONValue]) async throws {
    let data = try JSONEncoder().encode(object)
    try await outbound.write(.text(String(decoding: data, as: UTF8.self)))
  }

  /// The next message, or nil after `timeout` or at the end of the stream.
  func next(timeout: Duration = .seconds(60)) async -> StreamMessage? {
    let message = await queue.next(timeout: timeout)
    if let message { received.append(message) }
    return message
  }

  /// Messages until the next frame (inclusive); nil if none comes in time.
  func nextFrame(timeout: Duration = .seconds(60)) async -> StreamMessage? {
    await next(of: "frame", timeout: timeout)
  }

  /// Messages until the next one of `type` (inclusive); nil if none comes before `done`.
  func next(of type: String, timeout: Duration = .seconds(60)) async -> StreamMessage? {
    while let message = await next(timeout: timeout) {
      if message.type == type { return message }
      if message.type == "done" { return nil }
    }
    return nil
  }

  /// Every message for `duration`.
  func collect(for duration: Duration) async -> [StreamMessage] {
    let deadline = ContinuousClock.now + duration
    var messages: [StreamMessage] = []
    while ContinuousClock.now < deadline,
      let message = await next(timeout: deadline - ContinuousClock.now)
    {
      messages.append(message)
      if message.type == "done" { break }
    }
    return messages
  }

  /// Every message up to and including `done`.
  func untilDone(timeout: Duration = .seconds(120)) async -> [StreamMessage] {
    var messages: [StreamMessage] = []
    while let message = await next(timeout: timeout) {
      messages.append(message)
      if message.type == "done" { break }
    }
    return messages
  }
}

/// Opens `/ws/sim/{project}` on the live server and runs `body` on it.
func withStream<T: Sendable>(
  port: Int, project: ProjectID, headers: HTTPFields = [:],
  _ body: @escaping @Sendable (StreamConversation) async throws -> T
) async throws -> T {
  let box = ResultBox<T>()
  // The client library sends `Origin: ws://127.0.0.1` itself.
  // The server closes the socket once it sends `done`; an error the client
  // library raises after the conversation has finished is not the test's.
  do {
    try await connectStream()
  } catch {
    if box.value == nil { throw error }
  }
  guard let value = box.value else { throw TestFailure("the stream closed before the test ended") }
  return value

  func connectStream() async throws {
    try await WebSocketClient.connect(
      url: "ws://127.0.0.1:\(port)/ws/sim/\(project)",
      configuration: .init(maxFrameSize: 1 << 24, additionalHeaders: headers),
      logger: Logger(label: "stream-test")
    ) { inbound, outbound, _ in
      let (messages, feed) = AsyncStream.makeStream(of: StreamMessage.self)
      let reader = Task {
        do {
          for try await message in inbound.messages(maxSize: 1 << 24) {
            switch message {
            case .text(let text):
              let json =
                (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
              feed.yield(StreamMessage(json: json ?? [:], jpeg: nil, binary: false))
            case .binary(let buffer):
              let data = Data(buffer: buffer)
              if data.starts(with: Data("TAUP".utf8)) {
                feed.yield(StreamMessage(json: poseJSON(data), jpeg: nil, binary: true))
                continue
              }
              let length =
                Int(data[0]) | Int(data[1]) << 8 | Int(data[2]) << 16 | Int(data[3]) << 24
              let header = data[4..<4 + length]
              let json = (try? JSONSerialization.jsonObject(with: header)) as? [String: Any]
              feed.yield(
                StreamMessage(json: json ?? [:], jpeg: Data(data[(4 + length)...]), binary: true))
            }
          }
        } catch {}
        feed.finish()
      }
      box.value = try await body(StreamConversation(messages: messages, outbound: outbound))
      reader.cancel()
    }
  }
}

/// Unchecked Sendable: set once inside the connection's closure, read after it returned.
final class ResultBox<T>: @unchecked Sendable {
  var value: T?
}

/// An env whose `make_env` runs `setup` first, then steps without end (the episode is long
/// enough that only a limit ends it).
func endlessEnv(setup: String) -> String {
  """
  import os
  import numpy as np

  class Env:
      def reset(self, model, data):
          return np.zeros(1)
      def step(self, model, data, action):
          return np.zeros(1), 0.0, False
      def policy(self, obs):
          return np.zeros(1)

  def make_env():
  \(setup.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      return Env()
  """
}

/// A pose message (`PosePacket`) as a test reads it: `type` "pose", the header's numbers
/// and the float32 values.
func poseJSON(_ data: Data) -> [String: Any] {
  func u32(_ at: Int) -> Int {
    (0..<4).reduce(0) { $0 | Int(data[data.startIndex + at + $1]) << (8 * $1) }
  }
  func u16(_ at: Int) -> Int {
    Int(data[data.startIndex + at]) | Int(data[data.startIndex + at + 1]) << 8
  }
  var bits: UInt64 = 0
  for i in 0..<8 { bits |= UInt64(data[data.startIndex + 16 + i]) << (8 * UInt64(i)) }
  let floats = stride(from: 24, to: data.count, by: 4).map { offset -> Double in
    Double(Float(bitPattern: UInt32(u32(offset))))
  }
  return [
    "type": "pose", "epoch": u32(4), "step": u32(8), "bodies": u16(12), "lights": u16(14),
    "time": Double(bitPattern: bits), "values": floats, "bytes": data.count,
  ]
}
