/// How large a video export may be: each frame is a render, so a long run at a large size
/// would hold a render worker and an ffmpeg for many minutes.
public struct VideoLimits: Sendable, Equatable {
  /// Frames of one video (2 minutes at 30 fps).
  public var maximumFrames = 3600
  public var maximumWidth = 1280
  public var maximumHeight = 720

  public init() {}

  /// Why a video of `width`x`height` is refused; nil when it is not.
  public func sizeRefusal(width: Int, height: Int) -> String? {
    guard width > maximumWidth || height > maximumHeight else { return nil }
    return "a video is at most \(maximumWidth)x\(maximumHeight), not \(width)x\(height)"
  }

  /// Why a video of a run of `frames` frames is refused; nil when it is not.
  public func framesRefusal(frames: Int) -> String? {
    guard frames > maximumFrames else { return nil }
    return "this run has \(frames) frames; a video holds at most \(maximumFrames)"
  }
}
