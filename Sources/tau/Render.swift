import ArgumentParser
import Foundation
import Rendering
import Workers

/// `tau render PATH -o out.png`: an image of the model's initial state
/// (keyframe 0 when it has one), made in a tau worker.
struct Render: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render a model's initial state to a PNG or JPEG file.")

  @Argument(help: "An .xml file or a project folder.")
  var path: String

  @Option(name: .shortAndLong, help: "Output file: .png, .jpg or .jpeg.")
  var output: String

  @Option(help: "Image width in pixels (1...1920).")
  var width = 640

  @Option(help: "Image height in pixels (1...1080).")
  var height = 480

  @Option(help: "A camera of the model, by name (default: the free camera).")
  var camera: String?

  @Option(help: "Render preset: high (the model's own settings) or fast.")
  var quality: RenderOptions.Quality = .high

  @Option(name: .customLong("jpeg-quality"), help: "JPEG quality 1...100.")
  var jpegQuality = 90

  @OptionGroup var gl: GLOptions

  func validate() throws {
    guard format != nil else {
      throw ValidationError("output must end in .png, .jpg or .jpeg: \(output)")
    }
    guard (1...RenderOptions.maximumWidth).contains(width),
      (1...RenderOptions.maximumHeight).contains(height)
    else {
      throw ValidationError(
        "size \(width)x\(height) is outside 1x1...\(RenderOptions.maximumWidth)x\(RenderOptions.maximumHeight)"
      )
    }
    guard (1...100).contains(jpegQuality) else {
      throw ValidationError("JPEG quality must be within 1...100")
    }
  }

  private var format: RenderOptions.Format? {
    switch (output as NSString).pathExtension.lowercased() {
    case "png": return .png
    case "jpg", "jpeg": return .jpeg
    default: return nil
    }
  }

  func run() async throws {
    let file = try ModelPath.resolve(path)
    let platform = try gl.platform()
    let pool = WorkerLauncher.pool(platform: platform, maximumWorkers: 1)
    let client = ModelWorkerClient(pool: pool)
    let options = RenderOptions(
      width: width, height: height, format: format ?? .png,
      quality: quality, jpegQuality: jpegQuality,
      camera: camera.map(CameraChoice.named) ?? .free)
    do {
      let image = try await client.render(.file(path: file), options: options)
      try image.write(to: URL(fileURLWithPath: output), options: .atomic)
      await pool.shutdown()
      print("wrote \(output) (\(width)x\(height), \(image.count) bytes)")
    } catch {
      await pool.shutdown()
      FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
      throw ExitCode(1)
    }
  }
}
