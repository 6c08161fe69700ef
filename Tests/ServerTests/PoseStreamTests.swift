import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import TestSupport
import Testing

/// A 3D view's stream (`"view": "3d"`): the moving bodies' poses from the physics side,
/// latest-wins with one in flight until acknowledged, and no JPEG at all.
@Suite("Pose stream")
struct PoseStreamTests {
  @Test("Poses move the pole; no JPEG; the first message says the bodies; telemetry flows")
  func posesMove() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      // As a viewer does: the scene document first, then the episode (whose epoch then
      // comes from the document already made, at once, however loaded the workers are).
      let loaded = try await SlowClient(port: port).send(
        .get, "/api/projects/\(project.id)/scene?xml=scene.xml")
      #expect(loaded.status == .ok)
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 150, "view": "3d", "speed": 1])
        var all: [StreamMessage] = []
        while let message = await stream.next(timeout: .seconds(60)) {
          all.append(message)
          // An ack racing the server's close after `done` is harmless.
          if message.type == "pose" { try? await stream.send(["type": "pose_ack"]) }
          if message.type == "done" { break }
        }
        return all
      }
      let scene = try #require(messages.first { $0.type == "scene" })
      // The cartpole: the cart and the pole move, the world does not.
      #expect(scene.json["bodies"] as? [Int] == [1, 2], "\(scene.json)")
      let frames = messages.filter { $0.type == "frame" }
      #expect(frames.count == 150)
      #expect(frames.allSatisfy { $0.json["jpeg_b64"] == nil && $0.jpeg == nil })
      let poses = messages.filter { $0.type == "pose" }
      #expect(!poses.isEmpty)
      // The epoch is the scene document's: a view loads the scene that matches its poses.
      let document = try await SlowClient(port: port).send(
        .get, "/api/projects/\(project.id)/scene?xml=scene.xml")
      let epoch = try #require(scene.json["epoch"] as? String)
      #expect(document.headers[.eTag] == "\"\(epoch)\"")
      #expect(poses.allSatisfy { $0.json["epoch"] as? Int == Int(epoch.prefix(8), radix: 16) })
      #expect(
        poses.allSatisfy { $0.json["bodies"] as? Int == 2 && $0.json["bytes"] as? Int == 24 + 56 })
      // The pole's orientation (body 2's quaternion) changes over the episode.
      let quats = poses.compactMap { ($0.json["values"] as? [Double]).map { Array($0[10..<14]) } }
      #expect(Set(quats.map { $0.map { ($0 * 1000).rounded() } }).count > 1, "\(quats)")
    }
  }

  @Test("Pause and step send exactly one pose each; a browser that never acks gets no queue")
  func pauseStepAndSlowBrowser() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 1000, "view": "3d", "paused": true])
        // Paused from the start: the state after reset, one pose.
        var first: [StreamMessage] = []
        let start = ContinuousClock.now
        while first.filter({ $0.type == "pose" }).isEmpty,
          ContinuousClock.now - start < .seconds(60),
          let message = await stream.next(timeout: .seconds(60))
        {
          first.append(message)
        }
        #expect(first.filter { $0.type == "pose" }.count == 1)
        try await stream.send(["type": "pose_ack"])
        #expect(await stream.collect(for: .seconds(1)).filter { $0.type == "pose" }.isEmpty)
        try await stream.send(["type": "step"])
        let stepped = await stream.next(of: "pose", timeout: .seconds(60))
        #expect(stepped?.json["step"] as? Int == 1, "\(stepped?.json ?? [:])")
        #expect(await stream.collect(for: .seconds(1)).filter { $0.type == "pose" }.isEmpty)
        try await stream.send(["type": "pose_ack"])

        // Running, never acknowledged: one pose in flight, then one more per 2 s at most.
        try await stream.send(["type": "resume"])
        let unacked = await stream.collect(for: .seconds(3)).filter { $0.type == "pose" }
        #expect((1...2).contains(unacked.count), "\(unacked.count) poses without acks")
        try await stream.send(["type": "stop"])
        _ = await stream.untilDone()
      }
    }
  }

  /// A cartpole env that pushes nothing, sets a force of its own on the cart each step, and
  /// reports the cart's x and the force it finds there when its step begins.
  static let forceEnv = """
    import numpy as np

    class E:
        xml_path = "scene.xml"

        def reset(self, model, data):
            return np.zeros(2)

        def step(self, model, data, action):
            seen = float(data.xfrc_applied[1, 2])
            data.ctrl[:] = 0
            data.xfrc_applied[1, 2] = 0.25  # the env's own force on the cart (up: no motion)
            return np.array([data.qpos[0], seen]), 0.0, False

        def policy(self, obs):
            return np.zeros(1)

    def make_env():
        return E()
    """

  @Test("A drag on the cart to its right moves it right; the env's own xfrc_applied survives")
  func perturbation() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await client.writeFile(project.id, "env.py", Self.forceEnv)
      let frames = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 400, "view": "3d", "fps": 30])
        var frames: [StreamMessage] = []
        var dragging = false
        while let message = await stream.next(timeout: .seconds(60)) {
          if message.type == "pose" { try? await stream.send(["type": "pose_ack"]) }
          if message.type == "frame" {
            frames.append(message)
            if !dragging {
              dragging = true
              try await stream.send([
                "type": "perturb", "body": 1, "local": [0, 0, 0], "target": [1.0, 0, 1.0],
              ])
            }
            if frames.count == 120 {
              try await stream.send(["type": "perturb", "body": NSNull()])
              try await stream.send(["type": "stop"])
            }
          }
          if message.type == "done" { break }
        }
        return frames
      }
      let xs = frames.compactMap { ($0.json["obs"] as? [Double])?.first }
      #expect((xs.last ?? 0) > 0.3, "the cart stayed at \(xs.last ?? 0)")
      let seen = frames.dropFirst().compactMap { ($0.json["obs"] as? [Double])?.last }
      #expect(!seen.isEmpty && seen.allSatisfy { abs($0 - 0.25) < 1e-9 }, "\(Set(seen))")
    }
  }

  @Test("A recorded run replays as poses without simulating again, with the scene's epoch")
  func replay() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      _ = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 30, "width": 32, "height": 24, "speed": 0])
        return await stream.untilDone()
      }
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
      let slow = SlowClient(port: port)
      let answer = try await slow.send(.get, "/api/projects/\(project.id)/runs/\(run)/poses")
      #expect(answer.status == .ok, "\(answer.text)")
      let data = answer.data
      #expect(data.starts(with: Data("TAUR".utf8)))
      let length = data[4..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
      let header = try #require(
        try JSONSerialization.jsonObject(with: data[8..<8 + length]) as? [String: Any])
      #expect(header["count"] as? Int == 31 && header["bodies"] as? [Int] == [1, 2], "\(header)")
      let each = 24 + 2 * 28
      let packets = (0..<31).map {
        poseJSON(data.subdata(in: (8 + length + $0 * each)..<(8 + length + ($0 + 1) * each)))
      }
      #expect(packets.map { $0["step"] as? Int } == Array(0...30).map { $0 })
      let first = try #require(packets.first?["values"] as? [Double])
      let last = try #require(packets.last?["values"] as? [Double])
      #expect(first[10..<14] != last[10..<14], "the pole did not move in the replay")
      let scene = try await slow.send(.get, "/api/projects/\(project.id)/runs/\(run)/scene")
      let epoch = try #require(header["epoch"] as? String)
      #expect(scene.headers[.eTag] == "\"\(epoch)\"")
      let sliced = try await slow.send(
        .get, "/api/projects/\(project.id)/runs/\(run)/poses?from=10&count=5")
      #expect(
        sliced.data.count == 8
          + (sliced.data[4..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) })
          + 5 * each)
    }
  }
}
