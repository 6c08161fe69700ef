import Foundation

// The python worker's protocol (python/tau_env_worker.py), both directions, typed once:
// every message name and header field of this peer is spelled in this file and nowhere
// else on the Swift side (python/tau_env/messages.py is its other end).

/// A message from the server to a python worker.
public enum PythonWorkerRequest: Sendable, Equatable {
  /// The one episode this worker runs; sent once, first.
  case job(EpisodeJob)
  case pause
  case resume
  /// One control step while paused.
  case step
  /// Start over from the initial state.
  case reset
  case stop
  /// A real-time factor; 0 means as fast as possible.
  case speed(Double)
  /// Pull a body toward a point (MuJoCo's perturbation), or stop (nil).
  case perturb(Perturbation?)
}

/// A drag of a 3D view: `body` pulled at `local` (a point in the body's frame) toward
/// `target` (a world point), by MuJoCo's spring (`mjv_applyPerturbForce`) while running and
/// moved there (`mjv_applyPerturbPose`) while paused.
public struct Perturbation: Sendable, Equatable {
  public var body: Int
  public var local: [Double]
  public var target: [Double]

  public init(body: Int, local: [Double], target: [Double]) {
    self.body = body
    self.local = local
    self.target = target
  }

  /// `{"type": "perturb", "body": 1, "local": [x, y, z], "target": [x, y, z]}`; a `body`
  /// of null (or absent) ends the perturbation. Bounded: an id up to 100000, finite points.
  public init?(message: [String: JSONValue]) throws {
    guard let raw = message["body"], raw != .null else { return nil }
    guard let body = raw.intValue, (1...100_000).contains(body) else {
      throw WorkerRequestError("perturb.body must be a body id (1 or more)")
    }
    func point(_ key: String, default fallback: [Double]?) throws -> [Double] {
      guard let value = message[key] else {
        if let fallback { return fallback }
        throw WorkerRequestError("perturb.\(key) must be 3 numbers")
      }
      guard let numbers = value.arrayValue?.compactMap(\.doubleValue), numbers.count == 3,
        numbers.allSatisfy({ $0.isFinite && abs($0) < 1e6 })
      else { throw WorkerRequestError("perturb.\(key) must be 3 finite numbers") }
      return numbers
    }
    self.init(
      body: body, local: try point("local", default: [0, 0, 0]),
      target: try point("target", default: nil))
  }
}

/// What a python worker says, in the order it happens.
public enum PythonWorkerMessage: Sendable, Equatable {
  /// Sent once, when the worker has imported mujoco and numpy.
  case hello(PythonWorkerHello)
  /// The project's env is made and its model compiled; control steps follow.
  case started(EpisodeStart)
  case log(LogLevel, String)
  /// The state after a reset (step 0) or after a control step.
  case state(StepReport)
  /// The episode is over; the worker exits. Nil numbers: the worker did not know them.
  case done(EndReason, steps: Int?, totalReward: Double?)
}

/// How loud a log line is, from the worker to the stream.
public enum LogLevel: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  case info, warning, error

  public var description: String { rawValue }
}

/// Why an episode ended, from the worker to the stream's `done` (docs/STREAM.md).
public enum EndReason: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
  /// `step()` said done.
  case finished
  case maxSteps = "max_steps"
  /// A `stop` control, or the client went away.
  case stopped
  /// Setup, user code, a limit, rendering or the worker failed; an error log says which.
  case error
  /// The stream's first message was refused.
  case invalidSettings = "invalid settings"
  /// A server built without simulation (some tests of the HTTP layer).
  case simulationUnavailable = "simulation unavailable"

  /// As the stream says it.
  public var description: String { rawValue }
}

/// The episode a python worker runs: the project and the limits it runs under.
public struct EpisodeJob: Sendable, Equatable {
  public var projectDirectory: String
  public var maxSteps: Int
  public var fps: Int
  public var speed: Double
  public var paused: Bool
  public var fileSizeMB: Int
  public var cpuSeconds: Int?
  public var memoryMB: Int?
  public var sandbox: Bool
  /// Send the moving bodies' poses with each state (a browser's 3D view).
  public var poses: Bool

  public init(
    projectDirectory: String, maxSteps: Int, fps: Int, speed: Double, paused: Bool,
    fileSizeMB: Int, cpuSeconds: Int?, memoryMB: Int?, sandbox: Bool, poses: Bool = false
  ) {
    self.projectDirectory = projectDirectory
    self.maxSteps = maxSteps
    self.fps = fps
    self.speed = speed
    self.paused = paused
    self.fileSizeMB = fileSizeMB
    self.cpuSeconds = cpuSeconds
    self.memoryMB = memoryMB
    self.sandbox = sandbox
    self.poses = poses
  }
}

/// Who a python worker is.
public struct PythonWorkerHello: Sendable, Equatable {
  public var python: String
  public var mujoco: String
  public var pid: Int
}

/// What the worker made of the project: the entry it ran, the model it compiled (a
/// project-relative path, unchecked: the worker runs user code) and the limits in force.
public struct EpisodeStart: Sendable, Equatable {
  /// `env.py`, or nil when the project has no env and the default one runs.
  public var entry: String?
  public var xmlPath: String
  public var sandbox: SandboxReport
  /// With poses: the ids of the bodies and lights each pose holds, in its order.
  public var poseBodies: [Int] = []
  public var poseLights: [Int] = []
}

/// The isolation the worker applied to itself.
public struct SandboxReport: Sendable, Equatable {
  public var cpuSeconds: Int?
  public var memoryMB: Int?
  /// `off` when the network is cut, else what the worker found.
  public var network: String?
}

/// One control step's numbers and the integration state it left.
public struct StepReport: Sendable, Equatable {
  /// Control steps done: 0 is the state after reset.
  public var step: Int
  public var reward: Double
  public var totalReward: Double
  /// Simulated time (data.time) in seconds.
  public var time: Double
  public var obs: [Double]?
  public var action: [Double]?
  public var state: [Double]
  /// The moving bodies' and lights' poses (float32, python/tau_env/poses.py), when asked.
  public var poses: Data? = nil
  /// The same step again, its state moved by a drag while paused (not a new step).
  public var moved = false
}

extension StepReport {
  /// A `state` frame (python/tau_env/messages.py). Its payload: the step's float64 numbers
  /// (reward, total reward, time, then `obs_size` of obs and `action_size` of action), the
  /// state's float64s, then `pose_bytes` of float32 poses. A number that is not finite (the
  /// worker's NaN) reads as 0.
  init(frame: Frame) throws {
    let payload = frame.payload
    let obsSize = frame["obs_size"]?.intValue
    let actionSize = frame["action_size"]?.intValue
    let poseBytes = frame["pose_bytes"]?.intValue ?? 0
    let sizes = [obsSize ?? 0, actionSize ?? 0, poseBytes]
    guard sizes.allSatisfy({ (0...payload.count).contains($0) }) else {
      throw WorkerError.protocolViolation("a state frame's sizes do not fit it")
    }
    let numbersBytes = 8 * (3 + sizes[0] + sizes[1])
    guard poseBytes % 4 == 0, numbersBytes + poseBytes <= payload.count,
      (payload.count - numbersBytes - poseBytes) % 8 == 0
    else { throw WorkerError.protocolViolation("a state frame's sizes do not fit it") }
    let start = payload.startIndex
    let numbers = Frame.doubles(in: payload[start..<start + numbersBytes]).map {
      $0.isFinite ? $0 : 0
    }
    self.init(
      step: frame["step"]?.intValue ?? 0, reward: numbers[0], totalReward: numbers[1],
      time: numbers[2], obs: obsSize.map { Array(numbers[3..<3 + $0]) },
      action: actionSize.map { Array(numbers[(3 + sizes[0])..<(3 + sizes[0] + $0)]) },
      state: Frame.doubles(in: payload[(start + numbersBytes)..<(payload.endIndex - poseBytes)]),
      poses: poseBytes > 0 ? Data(payload.suffix(poseBytes)) : nil,
      moved: frame["moved"]?.boolValue ?? false)
  }
}

// MARK: - The codec

extension PythonWorkerRequest {
  /// The message on the wire.
  public var frame: Frame {
    switch self {
    case .job(let job):
      let limits: [String: JSONValue] = [
        "fsize_mb": .number(Double(job.fileSizeMB)),
        "cpu_s": job.cpuSeconds.map { .number(Double($0)) } ?? .null,
        "mem_mb": job.memoryMB.map { .number(Double($0)) } ?? .null,
      ]
      return Frame(
        "job",
        [
          "project_dir": .string(job.projectDirectory),
          "max_steps": .number(Double(job.maxSteps)), "fps": .number(Double(job.fps)),
          "speed": .number(job.speed), "paused": .bool(job.paused),
          "limits": .object(limits), "sandbox": .bool(job.sandbox), "poses": .bool(job.poses),
        ])
    case .pause: return Frame("pause")
    case .resume: return Frame("resume")
    case .step: return Frame("step")
    case .reset: return Frame("reset")
    case .stop: return Frame("stop")
    case .speed(let value): return Frame("speed", ["value": .number(value)])
    case .perturb(let perturbation):
      guard let perturbation else { return Frame("perturb", ["body": .null]) }
      return Frame(
        "perturb",
        [
          "body": .number(Double(perturbation.body)),
          "local": .array(perturbation.local.map { .number($0) }),
          "target": .array(perturbation.target.map { .number($0) }),
        ])
    }
  }
}

extension PythonWorkerMessage {
  /// Reads a worker's message; a frame that is none of them is a protocol violation.
  /// Missing numbers read as 0 and missing text as empty: the worker runs user code in
  /// the same process, so the server never trusts it to be complete.
  public init(frame: Frame) throws {
    switch frame.type {
    case "hello":
      self = .hello(
        PythonWorkerHello(
          python: frame["python"]?.stringValue ?? "", mujoco: frame["mujoco"]?.stringValue ?? "",
          pid: frame["pid"]?.intValue ?? 0))
    case "started":
      let sandbox = frame["sandbox"]?.objectValue ?? [:]
      self = .started(
        EpisodeStart(
          entry: frame["entry"]?.stringValue,
          xmlPath: frame["xml_path"]?.stringValue ?? "scene.xml",
          sandbox: SandboxReport(
            cpuSeconds: sandbox["cpu_s"]?.intValue, memoryMB: sandbox["mem_mb"]?.intValue,
            network: sandbox["network"]?.stringValue),
          poseBodies: frame["pose_bodies"]?.arrayValue?.compactMap(\.intValue) ?? [],
          poseLights: frame["pose_lights"]?.arrayValue?.compactMap(\.intValue) ?? []))
    case "log":
      self = .log(
        frame["level"]?.stringValue.flatMap(LogLevel.init(rawValue:)) ?? .info,
        frame["message"]?.stringValue ?? "")
    case "state":
      self = .state(try StepReport(frame: frame))
    case "done":
      self = .done(
        frame["reason"]?.stringValue.flatMap(EndReason.init(rawValue:)) ?? .error,
        steps: frame["steps"]?.intValue, totalReward: frame["total_reward"]?.doubleValue)
    default: throw WorkerError.protocolViolation("unknown message '\(frame.type)'")
    }
  }
}
