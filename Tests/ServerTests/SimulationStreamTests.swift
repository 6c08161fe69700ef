import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Rendering
import Simulation
import TestSupport
import Testing
import Workers

/// Real WebSocket clients against a live server running real episodes.
@Suite("The live stream /ws/sim", .serialized)
struct SimulationStreamTests {
  /// Width and height of a baseline JPEG, read from its SOF marker.
  static func jpegSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data)
    var index = 2
    while index + 9 < bytes.count {
      guard bytes[index] == 0xFF else { return nil }
      let marker = bytes[index + 1]
      let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
      if marker == 0xC0 || marker == 0xC2 {
        let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
        let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
        return (width, height)
      }
      index += 2 + length
    }
    return nil
  }

  /// The project's env run directly in .venv's Python, as the runner would.
  static func directRun(_ folder: URL, steps: Int) async throws -> (steps: Int, totalReward: Double)
  {
    let result = try await ProcessRunner.run(
      TestPaths.python,
      [
        packageRoot.appendingPathComponent("Tests/ServerTests/Fixtures/run_env.py").path,
        folder.path, String(steps),
      ])
    guard result.status == 0,
      let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    else { throw TestFailure("run_env.py failed: \(result.stderr)") }
    return (json["steps"] as? Int ?? -1, json["total_reward"] as? Double ?? .nan)
  }

  static func write(
    _ client: any TestClientProtocol, project: ProjectID, path: String, _ content: String,
    headers: HTTPFields = [:]
  ) async throws {
    let response = try await client.send(
      .put, "/api/projects/\(project)/file", json: ["path": path, "content": content],
      headers: headers)
    guard response.status == .ok else { throw TestFailure("write \(path): \(response.text)") }
  }

  @Test(
    "The cartpole runs to the end: frames of the asked size, the same steps and reward as Python")
  func cartpoleRunsToTheEnd() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 90, "fps": 30, "width": 320, "height": 240])
        return await stream.untilDone()
      }
      let frames = messages.filter { $0.type == "frame" }
      let done = try #require(messages.last)
      #expect(done.type == "done")
      #expect(done.json["steps"] as? Int == 90)
      // The original's numbering: every control step, from 0, none dropped.
      #expect(frames.map(\.step) == Array(0..<90).map(Optional.some))
      #expect(frames.last?.step == 89)
      for frame in frames {
        let size = try #require(frame.image.flatMap(Self.jpegSize))
        #expect(size.width == 320 && size.height == 240)
      }
      #expect(
        messages.contains {
          $0.type == "log" && $0.message.hasPrefix("episode started (env.py); sandbox off")
        })
      let folder = server.projectsDirectory.appendingPathComponent("local/\(project.id)")
      let direct = try await Self.directRun(folder, steps: 90)
      #expect(direct.steps == 90)
      let streamed = try #require(done.json["total_reward"] as? Double)
      #expect(abs(streamed - direct.totalReward) < 1e-9)
      #expect(abs((frames.last?.json["total_reward"] as? Double ?? 0) - direct.totalReward) < 1e-9)
      #expect(frames.last?.json["sim_time"] as? Double ?? 0 > 2.6)
      #expect((frames.last?.json["obs"] as? [Double])?.count == 4)
      #expect((frames.last?.json["action"] as? [Double])?.count == 1)
    }
  }

  @Test("pause stops frames, step yields one, resume continues, reset starts over, stop ends")
  func controls() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await withStream(port: port, project: project.id) { stream in
        // An interactive client asks for the latest frame: a pause shows at once, with no
        // backlog of frames simulated before it still to come.
        try await stream.send(["max_steps": 3000, "width": 160, "height": 120, "latest": true])
        var frame = await stream.nextFrame()
        while let current = frame, (current.step ?? 0) < 5 { frame = await stream.nextFrame() }
        try await stream.send(["type": "pause"])
        _ = await stream.collect(for: .milliseconds(1000))  // frames already under way
        let whilePaused = await stream.collect(for: .milliseconds(800))
        #expect(whilePaused.filter { $0.type == "frame" }.isEmpty)
        let before = stream.received.last { $0.type == "frame" }?.step ?? -1

        try await stream.send(["type": "step"])
        let stepped = await stream.nextFrame(timeout: .seconds(10))
        #expect(stepped?.step == before + 1)
        let afterStep = await stream.collect(for: .milliseconds(600))
        #expect(afterStep.filter { $0.type == "frame" }.isEmpty)

        try await stream.send(["type": "resume"])
        let resumed = await stream.nextFrame(timeout: .seconds(10))
        #expect((resumed?.step ?? 0) > before + 1)

        // Far enough from the start that a frame of the new episode cannot pass for one of
        // the old: with `latest`, a loaded machine may drop the first states after a reset.
        var reached = resumed?.step ?? 0
        while reached < before + 30, let next = await stream.nextFrame(timeout: .seconds(10)) {
          reached = next.step ?? reached
        }
        try await stream.send(["type": "reset"])
        var sawRestart = false
        for _ in 0..<120 {
          guard let next = await stream.nextFrame(timeout: .seconds(10)) else { break }
          if let step = next.step, step < before + 10 {
            sawRestart = true
            break
          }
        }
        #expect(sawRestart, "no frame from the start after reset")

        try await stream.send(["type": "speed", "value": 4])
        try await stream.send(["type": "stop"])
        let rest = await stream.untilDone(timeout: .seconds(20))
        #expect(rest.last?.type == "done")
        #expect(rest.last?.json["reason"] as? String == "stopped")
      }
    }
  }

  /// Mean absolute difference of two JPEGs' pixels, 0...255.
  static func difference(_ a: Data, _ b: Data) throws -> Double {
    let first = try ImageDecoder.decode(a)
    let second = try ImageDecoder.decode(b)
    guard first.rgb.count == second.rgb.count else { return 255 }
    let total = zip(first.rgb, second.rgb).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
    return Double(total) / Double(first.rgb.count)
  }

  @Test("reset_frames sends the picture after reset as a reset message, before frame 0")
  func resetFrames() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 20, "width": 160, "height": 120, "reset_frames": true])
        return await stream.untilDone()
      }
      let pictures = messages.filter { $0.type == "reset" || $0.type == "frame" }
      #expect(pictures.first?.type == "reset")
      #expect(pictures.first?.json["step"] == nil)
      #expect(pictures.first?.image.flatMap(Self.jpegSize)?.width == 160)
      #expect(pictures.dropFirst().map(\.step) == Array(0..<20).map(Optional.some))
      #expect(messages.filter { $0.type == "reset" }.count == 1)
    }
  }

  @Test("Rendering slower than the episode: by default every frame comes, with latest some drop")
  func latestDropsOnlyWhenAsked() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      // 300 control steps per second against renders of tens of milliseconds each.
      let heavy: [String: JSONValue] = [
        "max_steps": 150, "speed": 10, "width": 1280, "height": 720, "render": "high",
      ]
      for latest in [false, true] {
        let messages = try await withStream(port: port, project: project.id) { stream in
          var first = heavy
          first["latest"] = .bool(latest)
          try await stream.send(first)
          return await stream.untilDone()
        }
        let steps = messages.filter { $0.type == "frame" }.compactMap(\.step)
        #expect(messages.last?.json["steps"] as? Int == 150)
        #expect(steps.last == 149, "the last state is never dropped")
        #expect(steps == steps.sorted() && Set(steps).count == steps.count)
        if latest {
          #expect(steps.count < 150, "latest dropped nothing while rendering lagged")
        } else {
          #expect(steps == Array(0..<150))
        }
      }
    }
  }

  @Test("A camera message moves the view of the next frames")
  func cameraControl() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await withStream(port: port, project: project.id) { stream in
        try await stream.send([
          "max_steps": 100, "width": 160, "height": 120, "paused": true, "reset_frames": true,
        ])
        let initial = try #require(
          await stream.next(of: "reset", timeout: .seconds(20))?.image)
        try await stream.send(["type": "step"])
        let free = try #require(await stream.nextFrame(timeout: .seconds(20))?.image)
        try await stream.send(
          ["type": "camera", "camera": ["azimuth": 0, "elevation": -89, "distance": 9]])
        try await stream.send(["type": "step"])
        let above = try #require(await stream.nextFrame(timeout: .seconds(20))?.image)
        // One control step barely moves the cartpole; the camera moves everything.
        #expect(try Self.difference(initial, free) < 8)
        #expect(try Self.difference(free, above) > 2 * Self.difference(initial, free) + 5)
        try await stream.send(["type": "stop"])
        _ = await stream.untilDone(timeout: .seconds(20))
      }
    }
  }

  @Test("Binary mode carries the same frames as JPEG binary messages")
  func binaryMode() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let text = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 30, "width": 200, "height": 150])
        return await stream.untilDone()
      }
      let binary = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 30, "width": 200, "height": 150, "binary": true])
        return await stream.untilDone()
      }
      let binaryFrames = binary.filter { $0.type == "frame" }
      #expect(!binaryFrames.isEmpty)
      #expect(binaryFrames.allSatisfy { $0.binary && $0.json["jpeg_b64"] == nil })
      #expect(binaryFrames.allSatisfy { Self.jpegSize($0.jpeg ?? Data())?.width == 200 })
      #expect(
        binary.last?.json["total_reward"] as? Double == text.last?.json["total_reward"] as? Double)
      // The same step renders to the same JPEG in both modes.
      let textFrames = Dictionary(
        text.filter { $0.type == "frame" }.map { ($0.step ?? -1, $0.image) },
        uniquingKeysWith: { a, _ in a })
      let shared = binaryFrames.first { textFrames[$0.step ?? -1] != nil }
      #expect(shared != nil)
      if let shared { #expect(textFrames[shared.step ?? -1] == shared.jpeg) }
    }
  }

  static let brokenProjects: [(name: String, file: String, content: String, expected: String)] = [
    ("syntax error", "env.py", "import numpy as np\n\ndef make_env(:\n    pass\n", "env.py:3"),
    (
      "exception in step", "env.py",
      """
      import numpy as np

      class Env:
          xml_path = "scene.xml"
          def reset(self, model, data):
              return np.zeros(4)
          def step(self, model, data, action):
              return np.zeros(4), 1.0 / 0.0, False
          def policy(self, obs):
              return np.zeros(1)

      def make_env():
          return Env()
      """, "env.py:8"
    ),
    (
      "wrong action shape", "env.py",
      """
      import numpy as np

      class Env:
          def reset(self, model, data):
              return np.zeros(4)
          def step(self, model, data, action):
              data.ctrl[:] = action
              return np.zeros(4), 0.0, False
          def policy(self, obs):
              return np.zeros(3)

      def make_env():
          return Env()
      """, "nu=1"
    ),
    (
      "malformed scene", "scene.xml",
      "<mujoco>\n  <worldbody>\n    <body>\n      <nonsense/>\n    </body>\n  </worldbody>\n</mujoco>\n",
      "scene.xml:4"
    ),
  ]

  @Test(
    "A broken project ends with an error log naming file and line, then done",
    arguments: brokenProjects.indices)
  func brokenProject(index: Int) async throws {
    let broken = Self.brokenProjects[index]
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await Self.write(client, project: project.id, path: broken.file, broken.content)
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 20])
        return await stream.untilDone()
      }
      let errors = messages.filter { $0.type == "log" && $0.level == "error" }
      #expect(
        errors.contains { $0.message.contains(broken.expected) },
        "\(broken.name): \(errors.map(\.message))")
      #expect(messages.last?.type == "done")
      #expect(messages.last?.json["reason"] as? String == "error")
    }
  }

  @Test("A first message that never comes means the defaults, and controls still work")
  func silentClient() async throws {
    try await TestServer().testWithSimulation(firstMessageTimeout: .seconds(1)) { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let messages = try await withStream(port: port, project: project.id) { stream in
        let frame = await stream.nextFrame(timeout: .seconds(15))
        #expect(frame.flatMap { $0.image.flatMap(Self.jpegSize) }?.width == 480)
        try await stream.send(["type": "stop"])
        return await stream.untilDone(timeout: .seconds(15))
      }
      #expect(messages.last?.json["reason"] as? String == "stopped")
    }
  }

  @Test("Out-of-range settings are a clear error, never a crash")
  func badSettings() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      for first in [["fps": 0], ["width": 5000], ["max_steps": -3], ["max_steps": 1e300]]
        as [[String: JSONValue]]
      {
        let messages = try await withStream(port: port, project: project.id) { stream in
          try await stream.send(first)
          return await stream.untilDone(timeout: .seconds(10))
        }
        let error = messages.first { $0.level == "error" }
        #expect(error?.message.contains(first.keys.first!) == true)
        #expect(messages.last?.type == "done")
      }
      let health = try await client.send(.get, "/healthz")
      #expect(health.status == .ok)
    }
  }

  @Test("An infinite loop is stopped at the wall limit while the server keeps answering")
  func infiniteLoop() async throws {
    var limits = EpisodeLimits()
    limits.wallSeconds = 3
    try await TestServer().testWithSimulation(limits: limits) { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      try await Self.write(
        client, project: project.id, path: "env.py",
        """
        import numpy as np

        class Env:
            def reset(self, model, data):
                return np.zeros(4)
            def step(self, model, data, action):
                return np.zeros(4), 0.0, False
            def policy(self, obs):
                while True:
                    pass

        def make_env():
            return Env()
        """)
      let started = ContinuousClock.now
      async let messages = withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 100])
        return await stream.untilDone()
      }
      try await Task.sleep(for: .milliseconds(800))
      var slowest = Duration.zero
      for _ in 0..<10 {
        let start = ContinuousClock.now
        let response = try await client.send(.get, "/api/projects")
        slowest = max(slowest, ContinuousClock.now - start)
        #expect(response.status == .ok)
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(slowest < .milliseconds(100), "GET /api/projects took \(slowest)")
      let result = try await messages
      #expect(ContinuousClock.now - started < .seconds(20))
      #expect(result.contains { $0.level == "error" && $0.message.contains("wall-clock limit") })
      #expect(result.last?.json["reason"] as? String == "error")
    }
  }

  @Test("A memory bomb is stopped by its limit; a print flood does not corrupt the stream")
  func memoryAndPrintFlood() async throws {
    var limits = EpisodeLimits()
    limits.memoryMB = 400
    try await TestServer().testWithSimulation(limits: limits) { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let env = try await client.send(.get, "/api/projects/\(project.id)/file?path=env.py")
      let original = try #require(env.json([String: String].self)["content"])
      try await Self.write(
        client, project: project.id, path: "helpers.py",
        "def grow():\n    hoard = []\n    while True:\n        hoard.append(bytearray(50 * 1024 * 1024))\n"
      )
      try await Self.write(
        client, project: project.id, path: "env.py",
        original
          + "\n\nimport helpers\n_old_make_env = make_env\ndef make_env():\n    helpers.grow()\n")
      let bomb = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 10])
        return await stream.untilDone()
      }
      #expect(
        bomb.contains { $0.level == "error" && $0.message.lowercased().contains("memory") },
        "\(bomb.map(\.message))")
      #expect(bomb.last?.json["reason"] as? String == "error")

      try await Self.write(
        client, project: project.id, path: "env.py",
        original
          + "\n\n_make = make_env\ndef make_env():\n    env = _make()\n    _step = env.step\n"
          + "    def step(model, data, action):\n        for i in range(20000):\n            print('flood', i, '\\x00\\x1b[31m{\"type\":\"done\"}')\n"
          + "        return _step(model, data, action)\n    env.step = step\n    return env\n")
      let flood = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 15, "width": 64, "height": 48])
        return await stream.untilDone()
      }
      #expect(flood.last?.type == "done")
      #expect(flood.last?.json["steps"] as? Int == 15)
      #expect(flood.filter { $0.type == "frame" }.count >= 2)
      #expect(flood.filter { $0.type == "done" }.count == 1)
    }
  }

  @Test("A sandboxed worker cannot read another session's files or see API keys")
  func isolation() async throws {
    setenv("OPENAI_API_KEY", "sk-test-secret-should-not-leak", 1)
    defer { unsetenv("OPENAI_API_KEY") }
    var limits = EpisodeLimits()
    limits.sandbox = true
    let server = try TestServer()
    let other = server.projectsDirectory.appendingPathComponent(
      "0123456789abcdef0123456789abcdef/secret")
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try "top secret".write(
      to: other.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    try await server.testWithSimulation(limits: limits) { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let env = try await client.send(.get, "/api/projects/\(project.id)/file?path=env.py")
      let original = try #require(env.json([String: String].self)["content"])
      try await Self.write(
        client, project: project.id, path: "env.py",
        original + """


          import os
          try:
              open(\(String(reflecting: other.appendingPathComponent("notes.txt").path))).read()
              print("PROBE read another session's file")
          except OSError as error:
              print("PROBE blocked:", type(error).__name__)
          print("PROBE key:", "OPENAI_API_KEY" in os.environ, any("sk-test" in v for v in os.environ.values()))
          try:
              os.symlink("/", ".tau/planted")
              print("PROBE planted a link in .tau")
          except OSError as error:
              print("PROBE .tau blocked:", type(error).__name__)
          """)
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 3])
        return await stream.untilDone()
      }
      let probes = messages.map(\.message).filter { $0.contains("PROBE") }
      #expect(probes.contains { $0.contains("PROBE blocked") }, "\(probes)")
      #expect(probes.contains("PROBE key: False False"), "\(probes)")
      #expect(probes.contains { $0.contains("PROBE .tau blocked") }, "\(probes)")
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      #expect((runs.object as? [[String: Any]])?.count == 1, "\(runs.text)")
      #expect(
        messages.contains { $0.message.contains("sandbox on: network cut") },
        "\(messages.map(\.message))")
    }
  }

  @Test("Two sessions stream at once; a third run in one session waits in the queue")
  func concurrency() async throws {
    try await TestServer(multiUser: true).testWithSimulation(perSession: 2, total: 4) { client, _ in
      let port = try #require(client.port)
      func session() async throws -> HTTPFields {
        let first = try await client.send(.get, "/api/projects")
        return [.cookie: "tau_sid=" + cookieValue(try #require(setCookie(first, named: "tau_sid")))]
      }
      let alice = try await session()
      let bob = try await session()
      let aliceProject = try await client.createProject(headers: alice)
      let bobProject = try await client.createProject(headers: bob)
      let long: [String: JSONValue] = ["max_steps": 150, "width": 64, "height": 48]
      async let a1 = withStream(port: port, project: aliceProject.id, headers: alice) { stream in
        try await stream.send(long)
        return await stream.untilDone()
      }
      async let b1 = withStream(port: port, project: bobProject.id, headers: bob) { stream in
        try await stream.send(long)
        return await stream.untilDone()
      }
      async let a2 = withStream(port: port, project: aliceProject.id, headers: alice) { stream in
        try await stream.send(long)
        return await stream.untilDone()
      }
      try await Task.sleep(for: .seconds(1))
      let a3 = try await withStream(port: port, project: aliceProject.id, headers: alice) {
        stream in
        try await stream.send(["max_steps": 5, "width": 64, "height": 48])
        return await stream.untilDone()
      }
      let results = try await [a1, b1, a2]
      for result in results {
        #expect(result.last?.json["steps"] as? Int == 150)
      }
      #expect(
        a3.first?.message.hasPrefix("queued: 1 episode") == true, "\(a3.prefix(2).map(\.message))")
      #expect(a3.last?.json["steps"] as? Int == 5)
    }
  }

  @Test("A recorded run's frame rendered later equals the streamed one; its MP4 has every frame")
  func recordings() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      let messages = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 20, "width": 200, "height": 150])
        return await stream.untilDone()
      }
      let frames = messages.filter { $0.type == "frame" }
      let live = try #require(frames.first { $0.step == 9 } ?? frames.last)
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      let list = try #require(runs.object as? [[String: Any]])
      let run = try #require(list.first?["id"] as? String)
      #expect(list.first?["steps"] as? Int == 20)
      let telemetry = try await client.send(
        .get, "/api/projects/\(project.id)/runs/\(run)/telemetry")
      #expect((telemetry.object as? [[String: Any]])?.count == 21)
      // Live frame k is the state after k + 1 control steps: recorded step k + 1.
      let step = (live.step ?? 0) + 1
      let image = try await client.send(
        .get, "/api/projects/\(project.id)/runs/\(run)/frame?step=\(step)&quality=75&render=fast")
      #expect(image.status == .ok)
      #expect(Data(buffer: image.body) == live.image)

      let video = try await client.send(.get, "/api/projects/\(project.id)/runs/\(run)/video")
      #expect(video.status == .ok)
      #expect(video.headers[.contentType] == "video/mp4")
      let file = try TestPaths.temporaryFolder().appendingPathComponent("run.mp4")
      try Data(buffer: video.body).write(to: file)
      let probe = try await ProcessRunner.run(
        "/usr/bin/ffprobe",
        [
          "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
          "stream=nb_read_frames", "-of", "csv=p=0", file.path,
        ])
      #expect(probe.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "21")

      let missing = try await client.send(
        .get, "/api/projects/\(project.id)/runs/20990101-000000-0000/frame")
      #expect(missing.status == .notFound)
      for query in ["step=-1", "step=100001", "step=many", "time=nan", "time=1e300", "time=-2"] {
        let refused = try await client.send(
          .get, "/api/projects/\(project.id)/runs/\(run)/frame?\(query)")
        #expect(refused.status == .badRequest, "\(query): \(refused.text)")
        #expect(refused.detail?.contains(query.prefix { $0 != "=" }) == true, "\(refused.text)")
      }
      let health = try await client.send(.get, "/healthz")
      #expect(health.status == .ok)
    }
  }

  @Test("Snapshot and filmstrip show a short run to a vision model")
  func snapshotAndFilmstrip() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let snapshot = try await client.send(
        .post, "/api/projects/\(project.id)/snapshot",
        json: ["steps": 10, "width": 160, "height": 120, "format": "png"])
      #expect(snapshot.status == .ok)
      #expect(snapshot.headers[.contentType] == "image/png")
      let strip = try await client.send(
        .post, "/api/projects/\(project.id)/filmstrip",
        json: ["steps": 60, "frames": 4, "width": 96, "height": 72])
      #expect(strip.status == .ok, "\(strip.text)")
      let body = try #require(strip.object as? [String: Any])
      #expect((body["frames"] as? [[String: Any]])?.count == 4)
      let metrics = try #require(body["metrics"] as? [String: Any])
      #expect(metrics["steps"] as? Int == 60)
      #expect(metrics["diverged"] as? Bool == false)
      #expect((metrics["root_height_start"] as? Double) != nil)
      let bad = try await client.send(
        .post, "/api/projects/\(project.id)/filmstrip", json: ["frames": 500])
      #expect(bad.status == .badRequest)
      #expect(bad.detail?.contains("frames") == true)
    }
  }

  @Test("A segmentation snapshot from an orbit camera is a PNG; its bad inputs are named")
  func segmentationSnapshot() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let project = try await client.createProject()
      let path = "/api/projects/\(project.id)/snapshot"
      let camera: [String: Any] = [
        "azimuth": 90, "elevation": -20, "distance": 5, "lookat": [0, 0, 1],
      ]
      let image = try await client.send(
        .post, path,
        json: ["width": 96, "height": 72, "camera": camera, "segmentation": true])
      #expect(image.status == .ok, "\(image.text)")
      #expect(image.headers[.contentType] == "image/png")
      #expect(image.body.readableBytesView.starts(with: [0x89, 0x50, 0x4E, 0x47]))
      let refusals: [(json: [String: Any], names: String)] = [
        (["segmentation": true, "format": "jpeg"], "PNG"),
        (["camera": ["lookat": [0, 1]]], "lookat"),
        (["camera": 7], "camera"),
      ]
      for refusal in refusals {
        let answer = try await client.send(.post, path, json: refusal.json)
        #expect(answer.status == .badRequest, "\(refusal.json)")
        #expect(answer.detail?.contains(refusal.names) == true, "\(answer.text)")
      }
      let strip = try await client.send(
        .post, "/api/projects/\(project.id)/filmstrip", json: ["segmentation": true])
      #expect(strip.status == .badRequest)
      #expect(strip.detail?.contains("segmentation") == true)
    }
  }
}
