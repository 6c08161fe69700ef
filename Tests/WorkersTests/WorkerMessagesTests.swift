import Foundation
import Testing

@testable import Workers

/// The typed messages of both worker protocols, read back from what is written on the wire.
@Suite("The worker protocols' messages")
struct WorkerMessagesTests {
  static let scene = ModelSource.file(
    path: "/projects/local/abcdef0123/scene.xml", confinedTo: "/projects/local/abcdef0123")

  static let requests: [ModelWorkerRequest] = [
    .ping,
    .glInfo,
    .load(scene),
    .load(.file(path: "/tmp/cartpole/scene.xml")),
    .load(.xml("<mujoco><worldbody/></mujoco>", assetsDirectory: nil)),
    .load(.xml("<mujoco><worldbody/></mujoco>", assetsDirectory: "/tmp/assets")),
    .prepare(scene, RenderOptions(width: 640, height: 480, quality: .high)),
    .render(scene, state: nil, options: RenderOptions()),
    .render(
      scene, state: [0.5, -1.25, .pi, 1e-300],
      options: RenderOptions(format: .png, jpegQuality: 95, camera: .named("side"))),
    .render(
      scene, state: [0, 1],
      options: RenderOptions(
        camera: .orbit(azimuth: 90, elevation: nil, distance: 3, lookat: [0, 0, 0.5]))),
    .step(scene, steps: 250),
    .trace(scene, states: [0, 1, 2, 3, 4, 5]),
    .scene(scene),
    .inspect(scene),
  ]

  static let replies: [ModelWorkerReply] = [
    .hello(ModelWorkerHello(tauVersion: "0.4.0", mujocoVersion: "3.3.2", gl: "osmesa", pid: 4242)),
    .pong(pid: 4242),
    .loaded(
      ModelSummary(
        timestep: 0.002, nq: 2, nv: 2, nu: 1, nbody: 3, ngeom: 4, nkey: 0,
        bodies: ["world", "cart", "pole"], joints: ["slider", "hinge"], actuators: ["push"],
        sensors: [], cameras: ["side"], warnings: ["a warning"])),
    .prepared,
    .image(EncodedImage(width: 64, height: 48, format: .jpeg, data: Data([0xFF, 0xD8, 0xFF]))),
    .image(EncodedImage(width: 2, height: 1, format: .png, data: Data([0x89, 0x50, 0x4E]))),
    .stepped(
      StepCheck(steps: 10, diverged: false, time: 0.02, warnings: [], state: [0.02, 0.1, -0.3])),
    .stepped(
      StepCheck(
        steps: 3, diverged: true, time: 0.006, warnings: ["Nan, Inf or huge value in QACC"],
        state: [1e300, -1e300])),
    .traced(body: "cart", positions: [0, 0, 1, 0.5, 0, 1]),
    .glInfo(GLInfo(platform: "egl", renderer: "NVIDIA H200", version: "4.6.0")),
    .scene(
      EncodedScene(
        epoch: String(repeating: "ab", count: 32), files: ["/p/scene.xml", "/p/assets/a.stl"],
        data: Data("TAUSCENE".utf8) + Data([0, 0, 0, 0]))),
    .inspected(
      ModelTree(
        counts: .init(
          nq: 2, nv: 2, nu: 1, na: 0, nactuator: 1, nbody: 3, njnt: 2, ngeom: 4, nsite: 0,
          nsensor: 1, ncam: 1, nlight: 1, nkey: 0, nmesh: 0),
        bodies: [
          .init(
            id: 0, name: "world", parent: -1, children: [1], mass: 0, joints: [],
            geoms: [.init(id: 0, name: "floor", type: "plane")], sites: []),
          .init(
            id: 1, name: "cart", parent: 0, children: [], mass: 1,
            joints: [
              .init(id: 0, name: "slider", type: "slide", range: [-2, 2], qposadr: 0, dofadr: 0),
              .init(id: 1, name: "hinge", type: "hinge", range: nil, qposadr: 1, dofadr: 1),
            ], geoms: [], sites: [.init(id: 0, name: "tip")]),
        ],
        actuators: [
          .init(
            id: 0, name: "push", trntype: "joint", target: "slider", targetType: "joint",
            ctrladr: 0, ctrlnum: 1, ctrlrange: [-1, 1], forcerange: nil,
            gear: [50, 0, 0, 0, 0, 0])
        ],
        sensors: [
          .init(id: 0, name: "q", type: "jointpos", object: "slider", objectType: "joint", dim: 1)
        ],
        cameras: [.init(id: 0, name: "side", body: 0, mode: "fixed", fovy: 45)],
        lights: [.init(id: 0, name: "sun", body: 0, type: "spot", mode: "fixed")],
        keyframes: [.init(id: 0, name: "home", time: 0)])),
    .failed(
      WorkerFailure(
        kind: .compile, message: "XML Error: unrecognized element 'oops'",
        mujocoMessage: "unrecognized element", file: "scene.xml", line: 3)),
    .failed(WorkerFailure(kind: .request, message: "steps must be at least 1")),
    .fatal(message: "mj_stackAlloc: out of memory"),
  ]

  /// A frame as it crosses a pipe: encoded, then decoded from the bytes after the length.
  static func overTheWire(_ frame: Frame) throws -> Frame {
    try FrameCodec.decode(body: FrameCodec.encode(frame).dropFirst(4))
  }

  // MARK: The tau worker

  @Test(
    "Every request to a tau worker reads back as itself", arguments: WorkerMessagesTests.requests)
  func requestRoundTrip(request: ModelWorkerRequest) throws {
    #expect(try ModelWorkerRequest(frame: request.frame) == request)
    #expect(try ModelWorkerRequest(frame: Self.overTheWire(request.frame)) == request)
  }

  @Test("Every reply of a tau worker reads back as itself", arguments: WorkerMessagesTests.replies)
  func replyRoundTrip(reply: ModelWorkerReply) throws {
    #expect(try ModelWorkerReply(frame: reply.frame) == reply)
    #expect(try ModelWorkerReply(frame: Self.overTheWire(reply.frame)) == reply)
  }

  @Test("A request names the model the pool should prefer a worker for")
  func requestModel() {
    #expect(ModelWorkerRequest.ping.model == nil)
    #expect(ModelWorkerRequest.glInfo.model == nil)
    #expect(ModelWorkerRequest.step(Self.scene, steps: 1).model == Self.scene)
    #expect(ModelWorkerRequest.render(Self.scene, state: nil, options: .init()).model == Self.scene)
    #expect(ModelWorkerRequest.scene(Self.scene).model == Self.scene)
    #expect(ModelWorkerRequest.inspect(Self.scene).model == Self.scene)
  }

  @Test("A message of an unknown type is refused by every reader")
  func unknownType() {
    let request = #expect(throws: WorkerRequestError.self) {
      try ModelWorkerRequest(frame: Frame("no_such"))
    }
    #expect(request?.description.contains("no_such") == true)
    let reply = #expect(throws: WorkerError.self) { try ModelWorkerReply(frame: Frame("no_such")) }
    #expect(reply?.description.contains("no_such") == true)
    let message = #expect(throws: WorkerError.self) {
      try PythonWorkerMessage(frame: Frame("no_such"))
    }
    #expect(message?.description.contains("no_such") == true)
  }

  @Test("A request without a model, or with options out of range, is refused")
  func badRequests() {
    #expect(throws: WorkerRequestError.self) { try ModelWorkerRequest(frame: Frame("load")) }
    #expect(throws: WorkerRequestError.self) {
      try ModelWorkerRequest(frame: Frame("load", ["model": .object(["neither": "x"])]))
    }
    let tooWide = ModelWorkerRequest.render(
      Self.scene, state: nil, options: RenderOptions(width: 5000, height: 200))
    let error = #expect(throws: WorkerRequestError.self) {
      try ModelWorkerRequest(frame: tooWide.frame)
    }
    #expect(error?.description.contains("5000x200") == true)
  }

  @Test("A summary that does not read is a protocol violation, not a crash")
  func badSummary() {
    #expect(throws: WorkerError.self) {
      try ModelWorkerReply(frame: Frame("loaded", ["summary": "not a summary"]))
    }
  }

  // MARK: The python worker

  static let job = EpisodeJob(
    projectDirectory: "/projects/local/abcdef0123", maxSteps: 300, fps: 60, speed: 0.5,
    paused: true, fileSizeMB: 100, cpuSeconds: 30, memoryMB: 1024, sandbox: true)

  @Test("A job carries every field the python worker reads, under the names it reads")
  func jobFields() throws {
    let frame = try Self.overTheWire(PythonWorkerRequest.job(Self.job).frame)
    #expect(frame.type == "job")
    #expect(frame["project_dir"]?.stringValue == "/projects/local/abcdef0123")
    #expect(frame["max_steps"]?.intValue == 300)
    #expect(frame["fps"]?.intValue == 60)
    #expect(frame["speed"]?.doubleValue == 0.5)
    #expect(frame["paused"]?.boolValue == true)
    #expect(frame["sandbox"]?.boolValue == true)
    let limits = try #require(frame["limits"]?.objectValue)
    #expect(limits["fsize_mb"]?.intValue == 100)
    #expect(limits["cpu_s"]?.intValue == 30)
    #expect(limits["mem_mb"]?.intValue == 1024)
  }

  @Test("A job without CPU or memory limits sends them as null, which the worker reads as none")
  func jobWithoutLimits() throws {
    var job = Self.job
    job.cpuSeconds = nil
    job.memoryMB = nil
    job.paused = false
    job.sandbox = false
    let frame = try Self.overTheWire(PythonWorkerRequest.job(job).frame)
    let limits = try #require(frame["limits"]?.objectValue)
    #expect(limits["cpu_s"] == JSONValue.null)
    #expect(limits["mem_mb"] == JSONValue.null)
    #expect(limits["fsize_mb"]?.intValue == 100)
    #expect(frame["paused"]?.boolValue == false)
    #expect(frame["sandbox"]?.boolValue == false)
  }

  @Test("Controls go out under the names the python worker handles")
  func controls() {
    let names: [(PythonWorkerRequest, String)] = [
      (.pause, "pause"), (.resume, "resume"), (.step, "step"), (.reset, "reset"),
      (.stop, "stop"), (.speed(2), "speed"),
    ]
    for (request, name) in names { #expect(request.frame.type == name) }
    #expect(PythonWorkerRequest.speed(0).frame["value"]?.doubleValue == 0)
    #expect(PythonWorkerRequest.speed(2.5).frame["value"]?.doubleValue == 2.5)
  }

  /// The body of a frame as the python worker writes it (`struct.pack("<I", len(header))`,
  /// then `json.dumps(header)`, then the payload), without the leading length.
  static func pythonBody(_ header: String, payload: Data = Data()) -> Data {
    let json = Data(header.utf8)
    var body = Data()
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { body.append(contentsOf: $0) }
    body.append(json)
    body.append(payload)
    return body
  }

  static func readPython(_ header: String, payload: Data = Data()) throws -> PythonWorkerMessage {
    try PythonWorkerMessage(
      frame: FrameCodec.decode(body: pythonBody(header, payload: payload)))
  }

  @Test("The python worker's hello reads as who it is")
  func hello() throws {
    let message = try Self.readPython(
      #"{"type": "hello", "python": "3.12.3", "mujoco": "3.3.2", "numpy": "2.2.1", "pid": 812}"#)
    #expect(message == .hello(PythonWorkerHello(python: "3.12.3", mujoco: "3.3.2", pid: 812)))
  }

  @Test("A started message reads the entry, the scene and the limits the worker applied")
  func started() throws {
    let message = try Self.readPython(
      #"{"type": "started", "entry": "env.py", "xml_path": "models/arm.xml", "nq": 2, "nv": 2, "#
        + #""nu": 1, "timestep": 0.002, "substeps": 17, "fps": 30, "max_steps": 1000, "#
        + #""default_env": false, "state_size": 5, "sandbox": {"cpu_s": 30, "mem_mb": 1024, "#
        + #""fsize_mb": 100, "network": "off"}}"#)
    #expect(
      message
        == .started(
          EpisodeStart(
            entry: "env.py", xmlPath: "models/arm.xml",
            sandbox: SandboxReport(cpuSeconds: 30, memoryMB: 1024, network: "off"))))
  }

  @Test("A project without env.py starts with no entry, and null limits read as none")
  func startedDefaultEnv() throws {
    let message = try Self.readPython(
      #"{"type": "started", "entry": null, "xml_path": "scene.xml", "default_env": true, "#
        + #""sandbox": {"cpu_s": null, "mem_mb": null, "fsize_mb": 100, "#
        + #""network": "not cut (sandbox off)"}}"#)
    #expect(
      message
        == .started(
          EpisodeStart(
            entry: nil, xmlPath: "scene.xml",
            sandbox: SandboxReport(
              cpuSeconds: nil, memoryMB: nil, network: "not cut (sandbox off)"))))
  }

  @Test("Log lines keep their level and text; an unknown level reads as info")
  func logs() throws {
    for level in LogLevel.allCases {
      let message = try Self.readPython(
        #"{"type": "log", "level": "\#(level.rawValue)", "message": "at step 3"}"#)
      #expect(message == .log(level, "at step 3"))
    }
    let unknown = try Self.readPython(#"{"type": "log", "level": "debug", "message": "x = 1"}"#)
    #expect(unknown == .log(.info, "x = 1"))
    let bare = try Self.readPython(#"{"type": "log"}"#)
    #expect(bare == .log(.info, ""))
  }

  @Test("A state reads its numbers, its short obs and action, and the float64 state payload")
  func state() throws {
    let pose: [Double] = [0.06, 0.1, -0.2, 0.3, 1e-12]
    let message = try Self.readPython(
      #"{"type": "state", "step": 3, "done": false, "obs_size": 2, "action_size": 1}"#,
      payload: Frame.payload(doubles: [0.5, 1.5, 0.06, 0.1, -0.2, 1] + pose))
    #expect(
      message
        == .state(
          StepReport(
            step: 3, reward: 0.5, totalReward: 1.5, time: 0.06, obs: [0.1, -0.2], action: [1],
            state: pose)))
  }

  @Test("A state after reset has step 0; totals the worker could not give read as 0")
  func resetState() throws {
    let message = try Self.readPython(
      #"{"type": "state", "step": 0, "done": false}"#,
      payload: Frame.payload(doubles: [0, .nan, .nan, 0, 0]))
    #expect(
      message
        == .state(
          StepReport(
            step: 0, reward: 0, totalReward: 0, time: 0, obs: nil, action: nil, state: [0, 0])))
  }

  @Test(
    "A state whose sizes do not fit its payload is a protocol violation",
    arguments: [
      #"{"type": "state", "step": 1, "obs_size": 4}"#,
      #"{"type": "state", "step": 1, "obs_size": -1}"#,
      #"{"type": "state", "step": 1, "pose_bytes": 6}"#,
      #"{"type": "state", "step": 1, "action_size": 1000000}"#,
    ])
  func stateSizes(header: String) {
    #expect(throws: WorkerError.self) {
      try Self.readPython(header, payload: Frame.payload(doubles: [1, 2, 3, 4, 5]))
    }
  }

  @Test("Done reads its reason, steps and total; max_steps is maxSteps")
  func done() throws {
    let maxSteps = try Self.readPython(
      #"{"type": "done", "reason": "max_steps", "steps": 1000, "total_reward": 12.5}"#)
    #expect(maxSteps == .done(.maxSteps, steps: 1000, totalReward: 12.5))
    for reason in ["finished", "stopped", "error"] {
      let message = try Self.readPython(
        #"{"type": "done", "reason": "\#(reason)", "steps": 4, "total_reward": null}"#)
      let expected = try #require(EndReason(rawValue: reason))
      #expect(message == .done(expected, steps: 4, totalReward: nil))
    }
    let unknown = try Self.readPython(#"{"type": "done", "reason": "bored"}"#)
    #expect(unknown == .done(.error, steps: nil, totalReward: nil))
  }

  @Test("Every end reason is said on the stream as its raw value", arguments: EndReason.allCases)
  func endReasonDescription(reason: EndReason) {
    #expect(reason.description == reason.rawValue)
    #expect("\(reason)" == reason.rawValue)
  }

  @Test("End reasons and log levels are spelled as the stream sends them")
  func spelling() {
    #expect(EndReason.maxSteps.description == "max_steps")
    #expect(EndReason.invalidSettings.description == "invalid settings")
    #expect(EndReason.simulationUnavailable.description == "simulation unavailable")
    #expect(EndReason.finished.description == "finished")
    #expect(LogLevel.allCases.map(\.description) == ["info", "warning", "error"])
  }
}
