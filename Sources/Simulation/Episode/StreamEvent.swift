import Foundation
import Workers

/// What the stream tells the client, in order: logs, frames, then one `done`.
public enum StreamEvent: Sendable {
  case log(level: LogLevel, message: String)
  case frame(EpisodeFrame)
  case done(totalReward: Double, reason: EndReason, steps: Int)
  /// The env is made and its model known (the stream tells only a 3D view, as `scene`).
  case started(EpisodeStart)

  /// The original's JSON message (`jpeg_b64` for frames); with `binary`,
  /// a frame's JSON omits the image, which follows as a binary message.
  public func json(binary: Bool) -> [String: JSONValue] {
    switch self {
    case .log(let level, let message):
      return ["type": "log", "level": .string(level.rawValue), "message": .string(message)]
    case .started(let start):
      // Sent to 3D views only, as EpisodeStream's `scene` message.
      return EpisodeStream.sceneMessage(start, epoch: nil)
    case .done(let totalReward, let reason, let steps):
      return [
        "type": "done", "total_reward": .number(totalReward), "reason": .string(reason.rawValue),
        "steps": .number(Double(steps)),
      ]
    case .frame(let frame):
      var message = frame.json
      if frame.poses != nil, frame.jpeg.isEmpty {
        // A 3D view's frame: its numbers only; the pose goes as its own binary message.
      } else if binary {
        message["bytes"] = .number(Double(frame.jpeg.count))
      } else {
        message["jpeg_b64"] = .string(frame.jpeg.base64EncodedString())
      }
      return message
    }
  }
}

/// One rendered state: after a control step, or after a reset.
public struct EpisodeFrame: Sendable {
  /// `step` counts the control steps done: 0 is the state after reset.
  public var telemetry: StepTelemetry
  /// Empty when the episode renders no frames (headless runs).
  public var jpeg: Data
  /// The integration state shown (kept for headless runs; never sent to clients).
  public var state: [Double]
  /// The moving bodies' and lights' poses, for a 3D view (float32, `PosePacket`).
  public var poses: Data? = nil

  /// The state after a reset, before any control step: a `reset` message on the
  /// stream, for the clients that ask for it.
  public var isReset: Bool { telemetry.step == 0 }

  /// The message without its image. A control step's frame is numbered as the
  /// original numbers it, by the step's index from 0 (the state after `step + 1`
  /// control steps), with that step's reward and the running total.
  var json: [String: JSONValue] {
    var message = telemetry.json
    if isReset {
      message["type"] = "reset"
      for key in ["step", "reward", "total_reward"] { message[key] = nil }
    } else {
      message["type"] = "frame"
      message["step"] = .number(Double(telemetry.step - 1))
    }
    return message
  }
}

/// The numbers of one control step, as the worker reported them.
public struct StepTelemetry: Sendable, Codable, Equatable {
  public var step: Int
  public var reward: Double
  public var totalReward: Double
  /// Simulated time (data.time) in seconds.
  public var simTime: Double
  /// Simulated seconds per wall second since the episode (or its last resume) started.
  public var realTimeFactor: Double
  public var obs: [Double]?
  public var action: [Double]?

  enum CodingKeys: String, CodingKey {
    case step, reward, obs, action
    case totalReward = "total_reward"
    case simTime = "sim_time"
    case realTimeFactor = "rtf"
  }

  var json: [String: JSONValue] {
    var fields: [String: JSONValue] = [
      "step": .number(Double(step)), "reward": .number(reward.finiteOrZero),
      "total_reward": .number(totalReward.finiteOrZero), "sim_time": .number(simTime),
      "rtf": .number((realTimeFactor * 1000).rounded() / 1000),
    ]
    if let obs { fields["obs"] = .array(obs.map { .number($0.finiteOrZero) }) }
    if let action { fields["action"] = .array(action.map { .number($0.finiteOrZero) }) }
    return fields
  }
}

extension Double {
  /// JSON has no NaN or infinity; the worker reports those as errors anyway.
  var finiteOrZero: Double { isFinite ? self : 0 }
}
