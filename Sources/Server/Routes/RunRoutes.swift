import Foundation
import Hummingbird
import Projects
import Simulation
import Workers

/// Recorded runs: list them, fetch a run's telemetry, render one of its frames, export it
/// as MP4.
struct RunRoutes {
  let store: ProjectStore
  let simulation: SimulationServices

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let simulation = simulation
    let recordings = simulation.recordings

    router.get("/api/projects/:id/runs") { _, context -> Response in
      let project = try await Self.project(store, context)
      return try Response.json(try await SimulationHTTP.runs { recordings.list(project: project) })
    }
    router.get("/api/projects/:id/runs/:run") { _, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      return try Response.json(
        try await SimulationHTTP.runs { try recordings.info(project: project, run: run) })
    }
    router.get("/api/projects/:id/runs/:run/telemetry") { _, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      return try Response.json(
        try await SimulationHTTP.runs { try recordings.telemetry(project: project, run: run) })
    }
    router.get("/api/projects/:id/runs/:run/frame") { request, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      let info = try await SimulationHTTP.runs { try recordings.info(project: project, run: run) }
      let step =
        try request.uri.queryParameters.get("time").map { try Self.step(atTime: $0, fps: info.fps) }
        ?? RequestValues.integer(request, "step", in: 0...100_000) ?? 0
      let recorded = try await SimulationHTTP.runs {
        try recordings.state(project: project, run: run, step: step)
      }
      let options = try Self.renderOptions(request, width: info.width, height: info.height)
      let image = try await SimulationHTTP.worker(project: project) {
        try await simulation.renderer.render(
          .file(path: project.appendingPathComponent(info.xmlPath).path, confinedTo: project.path),
          state: recorded.state,
          options: options)
      }
      var response = RequestValues.image(image, format: options.format)
      response.headers[.tauStep] = String(recorded.step)
      return response
    }
    let exports = ExportSlots()
    Self.registerProgress(on: router, exports: exports)
    router.get("/api/projects/:id/runs/:run/video") { request, context -> Response in
      let session = try context.requireSession()
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      let info = try await SimulationHTTP.runs { try recordings.info(project: project, run: run) }
      let limits = simulation.videoLimits
      // By default the run's own size, scaled down to fit the video limits.
      let scale = min(
        1, Double(limits.maximumWidth) / Double(info.width),
        Double(limits.maximumHeight) / Double(info.height))
      let options = try Self.renderOptions(
        request, width: Int(Double(info.width) * scale), height: Int(Double(info.height) * scale))
      if let refusal = limits.sizeRefusal(width: options.width, height: options.height) {
        throw HTTPError(.badRequest, message: refusal)
      }
      let output = FileManager.default.temporaryDirectory.appendingPathComponent(
        "tau-video-\(UUID().uuidString).mp4")
      defer { try? FileManager.default.removeItem(at: output) }
      let id = try context.projectID()
      try await exports.run(session: session, project: id, run: run) { progress in
        let states = try await SimulationHTTP.runs {
          try recordings.states(project: project, run: run)
        }
        if let refusal = limits.framesRefusal(frames: states.count) {
          throw HTTPError(.unprocessableContent, message: refusal)
        }
        progress(0, states.count)
        // Minutes of two workers' time: a client that leaves ends it.
        try await context.cancellingOnDisconnect {
          try await SimulationHTTP.worker(project: project) {
            try await VideoExporter(renderer: simulation.renderer).export(
              states: states,
              model: .file(
                path: project.appendingPathComponent(info.xmlPath).path,
                confinedTo: project.path),
              options: options, fps: info.fps, to: output
            ) { done in progress(done, states.count) }
          }
        }
      }
      let data = try await BlockingIO.run { try Data(contentsOf: output) }
      return Response(
        status: .ok,
        headers: [
          .contentType: MediaType.videoMp4.description,
          .contentDisposition: "attachment; filename=\"run-\(run).mp4\"",
        ],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
  }

  /// `GET /api/projects/{id}/runs/{run}/video/progress` → `{"frames", "total"}` of the export
  /// of that run under way in this session; 404 when none is.
  static func registerProgress(on router: Router<TauRequestContext>, exports: ExportSlots) {
    router.get("/api/projects/:id/runs/:run/video/progress") { _, context -> Response in
      let session = try context.requireSession()
      let id = try context.projectID()
      let run = try Self.run(context)
      guard let progress = exports.progress(session: session, project: id, run: run) else {
        throw HTTPError(.notFound, message: "no export of run \(run) is under way")
      }
      return try Response.json(progress)
    }
  }

  /// The folder of the route's project in the request's session.
  static func project(_ store: ProjectStore, _ context: TauRequestContext) async throws -> URL {
    let session = try context.requireSession()
    let id = try context.projectID()
    return try await store.run { try $0.projectURL(session: session, id: id) }
  }

  static func run(_ context: TauRequestContext) throws -> String {
    guard let run = context.parameters.get("run") else {
      throw HTTPError(.badRequest, message: "no run id")
    }
    return run
  }

  /// The recorded step nearest `time` seconds into a run of `fps` frames a second.
  static func step(atTime text: String, fps: Int) throws -> Int {
    guard let time = Double(text), time.isFinite, (0...100_000).contains(time) else {
      throw HTTPError(.badRequest, message: "time must be a number of seconds within 0...100000")
    }
    // fps comes from the run's own file, which the project's code could have rewritten.
    return Int(min(time * Double(max(fps, 0)), 1e9).rounded())
  }

  static func renderOptions(_ request: Request, width: Int, height: Int) throws -> RenderOptions {
    let query = request.uri.queryParameters
    let format: RenderOptions.Format = query.get("format") == "png" ? .png : .jpeg
    return RenderOptions(
      width: try RequestValues.integer(request, "width", in: RenderOptions.requestWidths) ?? width,
      height: try RequestValues.integer(request, "height", in: RenderOptions.requestHeights)
        ?? height,
      format: format, quality: query.get("render") == "high" ? .high : .fast,
      jpegQuality: try RequestValues.integer(
        request, "quality", in: RenderOptions.requestJPEGQualities)
        ?? RenderOptions.still.jpegQuality,
      camera: query.get("camera").map(CameraChoice.named) ?? .free)
  }

}

extension HTTPFields.Element.Name {
  /// The recorded step a run's frame shows (the nearest to the one asked for).
  static let tauStep = Self("X-Tau-Step")!
}
