import Foundation
import Workers

/// What the stream tells the client, in order: logs, frames, then one `done`.
public enum StreamEvent: Sendable {
  case log(level: LogLevel, message: String)
  case frame(EpisodeFrame)
  case done(totalReward: Double, reason: EndReason, steps: Int)
  /// The env is made and its model known (the stream tells only a 3D view, as `scene`).
  case started(EpisodeStart)

  /// The message's text: the original's JSON (`jpeg_b64` for frames); with `binary`, a
  /// frame's JSON names the image's size instead (the image follows it, `EpisodeStream`).
  public func text(binary: Bool) -> String {
    let object: [String: JSONValue]
    switch self {
    case .frame(let frame):
      if frame.poses != nil, frame.jpeg.isEmpty {
        // A 3D view's frame: its numbers only; the pose goes as its own binary message.
        return frame.text(image: .none)
      }
      return frame.text(image: binary ? .size(frame.jpeg.count) : .base64(frame.jpeg))
    case .log(let level, let message):
      object = ["type": "log", "level": .string(level.rawValue), "message": .string(message)]
    case .started(let start):
      // Sent to 3D views only, as EpisodeStream's `scene` message.
      object = EpisodeStream.sceneMessage(start, epoch: nil)
    case .done(let totalReward, let reason, let steps):
      object = [
        "type": "done", "total_reward": .number(totalReward), "reason": .string(reason.rawValue),
        "steps": .number(Double(steps)),
      ]
    }
    return JSONValue.object(object).jsonText
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

  /// Where a frame's message says what its image is.
  enum ImageField {
    case none
    /// `bytes`: the image follows as binary.
    case size(Int)
    /// `jpeg_b64`: the original's, the image in the message.
    case base64(Data)
  }

  /// The message's text (`StreamEvent.text`). A control step's frame is numbered as the
  /// original numbers it, by the step's index from 0 (the state after `step + 1` control
  /// steps), with that step's reward and the running total; a reset has none of those.
  func text(image: ImageField) -> String {
    var writer = JSONObjectWriter()
    if isReset {
      writer.add("type", "reset")
      telemetry.write(to: &writer, step: nil)
    } else {
      writer.add("type", "frame")
      telemetry.write(to: &writer, step: telemetry.step - 1)
    }
    switch image {
    case .none: break
    case .size(let count): writer.add("bytes", Double(count))
    case .base64(let jpeg): writer.add("jpeg_b64", jpeg.base64EncodedString())
    }
    return writer.finish()
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

  /// A recording's line: the step's numbers under the stream's names.
  var line: String {
    var writer = JSONObjectWriter()
    write(to: &writer, step: step)
    return writer.finish()
  }

  /// Writes the step's numbers, `step` as given (nil: no step, reward or total). JSON has no
  /// NaN or infinity: a reward or an observation that is not finite is written as 0.
  func write(to writer: inout JSONObjectWriter, step: Int?) {
    if let step {
      writer.add("step", Double(step))
      writer.add("reward", reward.finiteOrZero)
      writer.add("total_reward", totalReward.finiteOrZero)
    }
    writer.add("sim_time", simTime)
    writer.add("rtf", (realTimeFactor * 1000).rounded() / 1000)
    if let obs { writer.add("obs", obs.map(\.finiteOrZero)) }
    if let action { writer.add("action", action.map(\.finiteOrZero)) }
  }
}

extension Double {
  /// JSON has no NaN or infinity; the worker reports those as errors anyway.
  var finiteOrZero: Double { isFinite ? self : 0 }
}
