import Foundation
import Projects
import Workers

/// What is known of a recorded run.
public struct RunInfo: Codable, Sendable, Equatable {
  public var id: String
  public var started: Double
  public var xmlPath: String
  public var fps: Int
  public var width: Int
  public var height: Int
  public var stateSize: Int?
  public var steps: Int
  public var totalReward: Double
  public var reason: EndReason?

  enum CodingKeys: String, CodingKey {
    case id, started, fps, width, height, steps, reason
    case xmlPath = "xml_path"
    case stateSize = "state_size"
    case totalReward = "total_reward"
  }

  /// Refuses what tau never writes: `run.json` lives in the project, where the project's own
  /// code (unsandboxed) could rewrite it, and its numbers size reads and its path picks a model.
  func validated() throws -> RunInfo {
    func damaged(_ why: String) -> RunError { .damaged(id, why) }
    guard (try? SafePath(xmlPath)) != nil else {
      throw damaged("its model path is not the project's")
    }
    guard (1...1000).contains(fps) else { throw damaged("fps \(fps) is out of range") }
    guard (1...8192).contains(width), (1...8192).contains(height) else {
      throw damaged("its frame size is out of range")
    }
    if let stateSize, !(1...RunRecording.maximumStateSize).contains(stateSize) {
      throw damaged("its state size \(stateSize) is out of range")
    }
    return self
  }
}

public enum RunError: Error, CustomStringConvertible, Equatable {
  case unknown(String)
  case empty(String)
  /// The run's files are not what tau wrote (or a link stands where a folder should be).
  case damaged(String, String)

  public var description: String {
    switch self {
    case .unknown(let run): return "no run '\(run)' in this project"
    case .empty(let run): return "run '\(run)' recorded no states"
    case .damaged(let run, let why): return "run '\(run)' is damaged: \(why)"
    }
  }
}
