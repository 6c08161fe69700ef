import Foundation

// The tau worker's protocol (`tau worker`), both directions, typed once: every message
// name and header field of this peer is spelled in this file and nowhere else. A new
// message is one case here, and the compiler finds every switch that must handle it.

/// A request from the parent to a tau worker.
public enum ModelWorkerRequest: Sendable, Equatable {
  /// Who are you (answered with `pong`)?
  case ping
  /// Compile the model and summarize it (`loaded`).
  case load(ModelSource)
  /// Compile the model and set up its renderer for the options' preset (`prepared`).
  case prepare(ModelSource, RenderOptions)
  /// Render an integration state (nil: the initial state) (`image`).
  case render(ModelSource, state: [Double]?, options: RenderOptions)
  /// Step with zero controls and say whether the state stayed finite (`stepped`).
  case step(ModelSource, steps: Int)
  /// The root body's position in each of the whole states, laid end to end (`traced`).
  case trace(ModelSource, states: [Double])
  /// The GL context's platform, renderer and version (`glInfo`).
  case glInfo
  /// The compiled model's scene for a browser viewer, as one binary document (`scene`).
  case scene(ModelSource)
  /// The model's bodies, joints, actuators, sensors... for the inspector (`inspected`).
  case inspect(ModelSource)
  /// The moving bodies' and lights' poses of each whole state, for replaying a recorded run
  /// in a 3D view (`posed`; the same float32 layout as a live pose).
  case poses(ModelSource, states: [Double])

  /// The model the request is about, if any (the pool prefers a worker that has it).
  public var model: ModelSource? {
    switch self {
    case .ping, .glInfo: return nil
    case .load(let model), .prepare(let model, _), .render(let model, _, _),
      .step(let model, _), .trace(let model, _), .scene(let model), .inspect(let model),
      .poses(let model, _):
      return model
    }
  }
}

/// A message from a tau worker: its hello, an answer to a request, or its last words.
public enum ModelWorkerReply: Sendable, Equatable {
  /// Sent once, when the worker is ready.
  case hello(ModelWorkerHello)
  case pong(pid: Int)
  case loaded(ModelSummary)
  case prepared
  case image(EncodedImage)
  case stepped(StepCheck)
  /// `positions`: x, y, z of `body` for each state, in order.
  case traced(body: String, positions: [Double])
  case glInfo(GLInfo)
  case scene(EncodedScene)
  case inspected(ModelTree)
  /// For each state, in order, float32 poses of `bodies` then `lights` (`PosePacket`'s body).
  case posed(bodies: [Int], lights: [Int], poses: Data)
  /// The request could not be served; the worker lives on.
  case failed(WorkerFailure)
  /// MuJoCo hit a fatal error: the worker exits after saying so.
  case fatal(message: String)
}

/// The first thing a tau worker says.
public struct ModelWorkerHello: Sendable, Equatable {
  public var tauVersion: String
  public var mujocoVersion: String
  public var gl: String
  public var pid: Int

  public init(tauVersion: String, mujocoVersion: String, gl: String, pid: Int) {
    self.tauVersion = tauVersion
    self.mujocoVersion = mujocoVersion
    self.gl = gl
    self.pid = pid
  }
}

/// A rendered picture, encoded as its options asked.
public struct EncodedImage: Sendable, Equatable {
  public var width: Int
  public var height: Int
  public var format: RenderOptions.Format
  public var data: Data

  public init(width: Int, height: Int, format: RenderOptions.Format, data: Data) {
    self.width = width
    self.height = height
    self.format = format
    self.data = data
  }
}

/// A model's scene document (`docs/SCENE.md`) with what identifies it.
public struct EncodedScene: Sendable, Equatable {
  /// The hash of the compiled model the document shows (its `epoch`, and the HTTP ETag).
  public var epoch: String
  /// Every file compiling the model read, as absolute paths (empty when not known), so the
  /// server can tell when a cached document is out of date.
  public var files: [String]
  /// The document itself.
  public var data: Data

  public init(epoch: String, files: [String], data: Data) {
    self.epoch = epoch
    self.files = files
    self.data = data
  }
}

/// What stepping a model with zero controls showed (a smoke test of a scene).
public struct StepCheck: Sendable, Equatable {
  public var steps: Int
  public var diverged: Bool
  public var time: Double
  public var warnings: [String]
  /// The integration state after the last step.
  public var state: [Double]

  public init(steps: Int, diverged: Bool, time: Double, warnings: [String], state: [Double]) {
    self.steps = steps
    self.diverged = diverged
    self.time = time
    self.warnings = warnings
    self.state = state
  }
}

/// The GL context a worker renders with.
public struct GLInfo: Sendable, Equatable {
  public var platform: String
  public var renderer: String
  public var version: String

  public init(platform: String, renderer: String, version: String) {
    self.platform = platform
    self.renderer = renderer
    self.version = version
  }
}

/// Why a tau worker could not serve a request, as `tau validate --json` prints it.
public struct WorkerFailure: Error, Sendable, Equatable, Encodable, CustomStringConvertible {
  public enum Kind: String, Sendable, Encodable {
    /// MuJoCo refused the model; `file` and `line` say where when it names them.
    case compile
    /// The request itself is wrong (bad options, an unknown model field...).
    case request
  }

  public var kind: Kind
  public var message: String
  public var mujocoMessage: String?
  public var file: String?
  public var line: Int?

  public init(
    kind: Kind, message: String, mujocoMessage: String? = nil, file: String? = nil,
    line: Int? = nil
  ) {
    self.kind = kind
    self.message = message
    self.mujocoMessage = mujocoMessage
    self.file = file
    self.line = line
  }

  public var description: String { message }

  enum CodingKeys: String, CodingKey {
    case kind, message, file, line
    case mujocoMessage = "mujoco_message"
  }

  /// Absent fields are written as null, so a script reading the JSON finds every key.
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(kind, forKey: .kind)
    try container.encode(message, forKey: .message)
    if kind == .compile {
      try container.encode(mujocoMessage, forKey: .mujocoMessage)
      try container.encode(file, forKey: .file)
      try container.encode(line, forKey: .line)
    }
  }
}

// MARK: - The codec

extension ModelWorkerRequest {
  /// The request on the wire.
  public var frame: Frame {
    switch self {
    case .ping: return Frame("ping")
    case .glInfo: return Frame("gl_info")
    case .load(let model): return Frame("load", ["model": model.header])
    case .prepare(let model, let options):
      return Frame("prepare", ["model": model.header, "options": options.header])
    case .render(let model, let state, let options):
      var fields: [String: JSONValue] = ["model": model.header, "options": options.header]
      guard let state else { return Frame("render", fields) }
      fields["has_state"] = true
      return Frame("render", fields, payload: Frame.payload(doubles: state))
    case .step(let model, let steps):
      return Frame("step", ["model": model.header, "steps": .number(Double(steps))])
    case .trace(let model, let states):
      return Frame("trace", ["model": model.header], payload: Frame.payload(doubles: states))
    case .scene(let model): return Frame("scene", ["model": model.header])
    case .poses(let model, let states):
      return Frame("poses", ["model": model.header], payload: Frame.payload(doubles: states))
    case .inspect(let model): return Frame("inspect", ["model": model.header])
    }
  }

  /// Reads a request; throws a message for the parent when it is not one.
  public init(frame: Frame) throws {
    switch frame.type {
    case "ping": self = .ping
    case "gl_info": self = .glInfo
    case "load": self = .load(try ModelSource(header: frame["model"]))
    case "prepare":
      self = .prepare(try ModelSource(header: frame["model"]), try RenderOptions(header: frame))
    case "render":
      self = .render(
        try ModelSource(header: frame["model"]),
        state: frame["has_state"]?.boolValue == true ? frame.doubles : nil,
        options: try RenderOptions(header: frame))
    case "step":
      self = .step(try ModelSource(header: frame["model"]), steps: frame["steps"]?.intValue ?? 1)
    case "trace": self = .trace(try ModelSource(header: frame["model"]), states: frame.doubles)
    case "scene": self = .scene(try ModelSource(header: frame["model"]))
    case "poses": self = .poses(try ModelSource(header: frame["model"]), states: frame.doubles)
    case "inspect": self = .inspect(try ModelSource(header: frame["model"]))
    default: throw WorkerRequestError("unknown request type '\(frame.type)'")
    }
  }
}

extension ModelWorkerReply {
  /// The reply on the wire.
  public var frame: Frame {
    switch self {
    case .hello(let hello):
      return Frame(
        "hello",
        [
          "tau": .string(hello.tauVersion), "mujoco": .string(hello.mujocoVersion),
          "gl": .string(hello.gl), "pid": .number(Double(hello.pid)),
        ])
    case .pong(let pid): return Frame("pong", ["pid": .number(Double(pid))])
    case .loaded(let summary):
      return Frame("loaded", ["summary": (try? JSONValue(encoding: summary)) ?? .null])
    case .prepared: return Frame("prepared")
    case .image(let image):
      return Frame(
        "image",
        [
          "width": .number(Double(image.width)), "height": .number(Double(image.height)),
          "format": .string(image.format.rawValue),
        ], payload: image.data)
    case .stepped(let check):
      return Frame(
        "stepped",
        [
          "steps": .number(Double(check.steps)), "diverged": .bool(check.diverged),
          "time": .number(check.time), "warnings": .array(check.warnings.map(JSONValue.string)),
        ], payload: Frame.payload(doubles: check.state))
    case .traced(let body, let positions):
      return Frame(
        "traced", ["body": .string(body)], payload: Frame.payload(doubles: positions))
    case .glInfo(let info):
      return Frame(
        "gl_info",
        [
          "gl": .string(info.platform), "renderer": .string(info.renderer),
          "version": .string(info.version),
        ])
    case .posed(let bodies, let lights, let poses):
      return Frame(
        "posed",
        [
          "bodies": .array(bodies.map { .number(Double($0)) }),
          "lights": .array(lights.map { .number(Double($0)) }),
        ], payload: poses)
    case .scene(let scene):
      return Frame(
        "scene_document",
        ["epoch": .string(scene.epoch), "files": .array(scene.files.map(JSONValue.string))],
        payload: scene.data)
    case .inspected(let tree):
      return Frame("inspected", ["tree": (try? JSONValue(encoding: tree)) ?? .null])
    case .failed(let failure):
      var fields: [String: JSONValue] = [
        "kind": .string(failure.kind.rawValue), "message": .string(failure.message),
      ]
      if let text = failure.mujocoMessage { fields["mujoco_message"] = .string(text) }
      if let file = failure.file { fields["file"] = .string(file) }
      if let line = failure.line { fields["line"] = .number(Double(line)) }
      return Frame("error", fields)
    case .fatal(let message): return Frame("fatal", ["message": .string(message)])
    }
  }

  /// Reads a worker's message; a frame that is none of them is a protocol violation.
  public init(frame: Frame) throws {
    let string = { (key: String) in frame[key]?.stringValue ?? "" }
    let integer = { (key: String) in frame[key]?.intValue ?? 0 }
    switch frame.type {
    case "hello":
      self = .hello(
        ModelWorkerHello(
          tauVersion: string("tau"), mujocoVersion: string("mujoco"), gl: string("gl"),
          pid: integer("pid")))
    case "pong": self = .pong(pid: integer("pid"))
    case "loaded":
      do {
        self = .loaded(try (frame["summary"] ?? .null).decode(ModelSummary.self))
      } catch {
        throw WorkerError.protocolViolation("a model summary that does not read: \(error)")
      }
    case "prepared": self = .prepared
    case "image":
      self = .image(
        EncodedImage(
          width: integer("width"), height: integer("height"),
          format: RenderOptions.Format(rawValue: string("format")) ?? .jpeg, data: frame.payload))
    case "stepped":
      self = .stepped(
        StepCheck(
          steps: integer("steps"), diverged: frame["diverged"]?.boolValue ?? false,
          time: frame["time"]?.doubleValue ?? 0,
          warnings: frame["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [],
          state: frame.doubles))
    case "traced": self = .traced(body: string("body"), positions: frame.doubles)
    case "gl_info":
      self = .glInfo(
        GLInfo(platform: string("gl"), renderer: string("renderer"), version: string("version")))
    case "posed":
      self = .posed(
        bodies: frame["bodies"]?.arrayValue?.compactMap(\.intValue) ?? [],
        lights: frame["lights"]?.arrayValue?.compactMap(\.intValue) ?? [], poses: frame.payload)
    case "scene_document":
      self = .scene(
        EncodedScene(
          epoch: string("epoch"),
          files: frame["files"]?.arrayValue?.compactMap(\.stringValue) ?? [], data: frame.payload))
    case "inspected":
      do {
        self = .inspected(try (frame["tree"] ?? .null).decode(ModelTree.self))
      } catch {
        throw WorkerError.protocolViolation("a model tree that does not read: \(error)")
      }
    case "error":
      self = .failed(
        WorkerFailure(
          kind: WorkerFailure.Kind(rawValue: string("kind")) ?? .request,
          message: frame["message"]?.stringValue ?? "worker error",
          mujocoMessage: frame["mujoco_message"]?.stringValue, file: frame["file"]?.stringValue,
          line: frame["line"]?.intValue))
    case "fatal": self = .fatal(message: string("message"))
    default: throw WorkerError.protocolViolation("unknown message '\(frame.type)'")
    }
  }
}

extension ModelSource {
  /// The `model` field of a request.
  var header: JSONValue {
    switch self {
    case .file(let path, let root):
      return .object(["path": .string(path), "confined_to": root.map(JSONValue.string) ?? .null])
    case .xml(let text, let assets):
      return .object(["xml": .string(text), "assets_dir": assets.map(JSONValue.string) ?? .null])
    }
  }

  /// Reads the `model` field of a request.
  init(header: JSONValue?) throws {
    guard let fields = header?.objectValue else {
      throw WorkerRequestError("the request names no model (expected {\"path\"} or {\"xml\"})")
    }
    if let path = fields["path"]?.stringValue {
      self = .file(path: path, confinedTo: fields["confined_to"]?.stringValue)
    } else if let xml = fields["xml"]?.stringValue {
      self = .xml(xml, assetsDirectory: fields["assets_dir"]?.stringValue)
    } else {
      throw WorkerRequestError("model needs a \"path\" or an \"xml\" field")
    }
  }
}

extension RenderOptions {
  /// The `options` field of a request.
  var header: JSONValue { (try? JSONValue(encoding: self)) ?? .object([:]) }

  /// Reads and checks the `options` field of a request (absent: the defaults).
  init(header frame: Frame) throws {
    self = try (frame["options"] ?? .object([:])).decode(RenderOptions.self)
    try validate()
  }
}
