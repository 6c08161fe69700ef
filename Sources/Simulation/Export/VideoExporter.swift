import Foundation
import Projects
import Workers

/// Writes states as an MP4 (H.264): each state rendered by a tau worker to
/// JPEG, piped into Debian's ffmpeg. Pipe writes and the wait for ffmpeg
/// block, so they run on the blocking-I/O queue, never on an event loop.
public struct VideoExporter: Sendable {
  public let renderer: ModelWorkerClient
  public var ffmpeg = "/usr/bin/ffmpeg"

  public init(renderer: ModelWorkerClient) { self.renderer = renderer }

  /// Renders and encodes every state; `progress` hears the frames done after each. A
  /// cancelled task (the client left) stops at the next frame and ffmpeg is ended.
  public func export(
    states: [[Double]], model: ModelSource, options: RenderOptions, fps: Int, to output: URL,
    progress: @Sendable (Int) -> Void = { _ in }
  ) async throws {
    guard FileManager.default.isExecutableFile(atPath: ffmpeg) else {
      throw VideoError("ffmpeg is not installed; run `make setup`")
    }
    guard !states.isEmpty else { throw VideoError("the run has no frames to export") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: ffmpeg)
    // Even sizes: H.264 with yuv420p needs them.
    process.arguments = [
      "-hide_banner", "-loglevel", "error", "-y", "-f", "image2pipe", "-framerate", "\(fps)",
      "-c:v", "mjpeg", "-i", "-", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264",
      "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", output.path,
    ]
    let input = Pipe()
    // ffmpeg's messages go to a file, not a pipe: a pipe read only at the end would fill
    // (64 KiB) and leave ffmpeg and us waiting on each other.
    let errorsFile = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tau-ffmpeg-\(UUID().uuidString).log")
    guard FileManager.default.createFile(atPath: errorsFile.path, contents: nil),
      let errors = FileHandle(forWritingAtPath: errorsFile.path)
    else { throw VideoError("cannot create a log file for ffmpeg") }
    defer {
      try? errors.close()
      try? FileManager.default.removeItem(at: errorsFile)
    }
    process.standardInput = input
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let stdin = input.fileHandleForWriting
    do {
      for (index, state) in states.enumerated() {
        try Task.checkCancellation()
        let jpeg = try await renderer.render(model, state: state, options: options)
        try await BlockingIO.run { try stdin.write(contentsOf: jpeg) }
        progress(index + 1)
      }
      try stdin.close()
    } catch {
      process.terminate()
      try? stdin.close()
      _ = try? await BlockingIO.run { process.waitUntilExit() }
      throw error
    }
    let message = try await BlockingIO.run {
      process.waitUntilExit()
      return (try? Data(contentsOf: errorsFile)) ?? Data()
    }
    guard process.terminationStatus == 0 else {
      throw VideoError("ffmpeg failed: \(String(decoding: message, as: UTF8.self))")
    }
  }
}

public struct VideoError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
