import Workers

/// A message from the client while an episode runs.
public enum EpisodeControl: Sendable, Equatable {
  case pause
  case resume
  /// One control step while paused.
  case step
  /// Start over from the initial state.
  case reset
  case stop
  /// A real-time factor; 0 means as fast as possible.
  case speed(Double)
  case camera(CameraChoice)
  /// A 3D view's drag: pull `body` (at `local`, a point in its frame) toward `target` (world),
  /// with MuJoCo's own perturbation; nil ends it.
  case perturb(Perturbation?)

  /// Reads a client message (`{"type": "pause"}`, `{"type": "speed", "value": 2}`,
  /// `{"type": "camera", "camera": ...}`); the original's clients send none.
  public init(message: [String: JSONValue]) throws {
    let type = message["type"]?.stringValue ?? message["action"]?.stringValue ?? ""
    switch type {
    case "pause": self = .pause
    case "resume", "play": self = .resume
    case "step": self = .step
    case "reset": self = .reset
    case "stop": self = .stop
    case "speed":
      self = .speed(try EpisodeSettings.speed(message["value"] ?? message["speed"] ?? .null))
    case "camera":
      self = .camera(try EpisodeSettings.camera(message["camera"] ?? message["value"] ?? .null))
    case "perturb":
      self = .perturb(try Perturbation(message: message))
    default:
      throw SettingsError(
        "unknown control '\(type)'; use pause, resume, step, reset, stop, speed, camera or perturb")
    }
  }

  /// The message relayed to the python worker (camera stays in the server).
  var workerRequest: PythonWorkerRequest? {
    switch self {
    case .pause: return .pause
    case .resume: return .resume
    case .step: return .step
    case .reset: return .reset
    case .stop: return .stop
    case .speed(let value): return .speed(value)
    case .perturb(let perturbation): return .perturb(perturbation)
    case .camera: return nil
    }
  }
}
