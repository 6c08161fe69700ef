import Foundation
import Hummingbird
import Projects
import Simulation
import Workers

/// Pictures of an episode, run for the asking: a snapshot (one image after reset and N
/// steps) and a filmstrip (K images over a short run, with metrics) for the assistant's
/// vision models. `EpisodePictures` does the work.
struct PictureRoutes {
  let store: ProjectStore
  let simulation: SimulationServices

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let pictures = simulation.pictures
    router.post("/api/projects/:id/snapshot") { request, context -> Response in
      let (session, project, body) = try await Self.input(request, context, store)
      let steps = try RequestValues.bounded(
        body.steps ?? 0, "steps", EpisodePictures.snapshotSteps)
      let options = try body.renderOptions()
      let image = try await SimulationHTTP.worker(project: project) {
        try await pictures.snapshot(
          session: session.rawValue, project: project, steps: steps, options: options)
      }
      return RequestValues.image(image, format: options.format)
    }
    router.post("/api/projects/:id/filmstrip") { request, context -> Response in
      let (session, project, body) = try await Self.input(request, context, store)
      let steps = try RequestValues.bounded(
        body.steps ?? 300, "steps", EpisodePictures.filmstripSteps)
      let frames = try RequestValues.bounded(
        body.frames ?? 6, "frames", EpisodePictures.filmstripFrames)
      guard body.segmentation != true else {
        throw HTTPError(
          .badRequest, message: "segmentation is for snapshots: a filmstrip's frames are JPEG")
      }
      let options = try body.renderOptions()
      let filmstrip = try await SimulationHTTP.worker(project: project) {
        try await pictures.filmstrip(
          session: session.rawValue, project: project, steps: steps, frames: frames,
          options: options)
      }
      return try Response.json(filmstrip)
    }
  }

  /// The session, project folder and body of a snapshot or filmstrip request.
  static func input(
    _ request: Request, _ context: TauRequestContext, _ store: ProjectStore
  ) async throws -> (SessionID, URL, PictureRequest) {
    var request = request
    let session = try context.requireSession()
    let project = try await RunRoutes.project(store, context)
    return (session, project, try await request.decodeJSON(PictureRequest.self, limit: 64 * 1024))
  }
}

/// The body of snapshot and filmstrip requests.
struct PictureRequest: Decodable {
  var steps: Int?
  var frames: Int?
  var width: Int?
  var height: Int?
  /// A camera name, or `{azimuth, elevation, distance, lookat}` as in the stream's settings.
  var camera: JSONValue?
  var format: String?
  var render: String?
  /// MuJoCo's segmentation image as a PNG whose pixels name geoms (id + 1; 0 for none).
  var segmentation: Bool?

  func renderOptions() throws -> RenderOptions {
    let still = RenderOptions.still
    let width = try RequestValues.bounded(
      self.width ?? still.width, "width", RenderOptions.requestWidths)
    let height = try RequestValues.bounded(
      self.height ?? still.height, "height", RenderOptions.requestHeights)
    let segmentation = self.segmentation == true
    if segmentation, let format, format != "png" {
      throw HTTPError(.badRequest, message: "a segmentation image is a PNG, not \(format)")
    }
    return RenderOptions(
      width: width, height: height, format: segmentation || format == "png" ? .png : .jpeg,
      quality: segmentation ? .segmentation : render == "fast" ? .fast : still.quality,
      jpegQuality: still.jpegQuality, camera: try cameraChoice())
  }

  private func cameraChoice() throws -> CameraChoice {
    guard let camera, camera != .null else { return .free }
    do {
      return try EpisodeSettings.camera(camera)
    } catch {
      throw HTTPError(.badRequest, message: String(describing: error))
    }
  }
}
