import Foundation
import Hummingbird
import Projects
import Simulation
import Workers

/// Recorded runs and pictures of episodes: list runs, fetch a run's
/// telemetry, render one of its frames, export it as MP4; and a snapshot
/// (one image after reset and N steps) and a filmstrip (K images over a
/// short run, with metrics) for the assistant's vision models.
struct RunRoutes {
  let store: ProjectStore
  let simulation: SimulationServices

  static let maximumSnapshotSteps = 2000
  static let maximumFilmstripSteps = 3000
  static let maximumFilmstripFrames = 16

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let simulation = simulation
    let recordings = simulation.recordings

    router.get("/api/projects/:id/runs") { _, context -> Response in
      let project = try await Self.project(store, context)
      return try Response.json(try await Self.runs { recordings.list(project: project) })
    }
    router.get("/api/projects/:id/runs/:run") { _, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      return try Response.json(
        try await Self.runs { try recordings.info(project: project, run: run) })
    }
    router.get("/api/projects/:id/runs/:run/telemetry") { _, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      return try Response.json(
        try await Self.runs { try recordings.telemetry(project: project, run: run) })
    }
    router.get("/api/projects/:id/runs/:run/frame") { request, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      let info = try await Self.runs { try recordings.info(project: project, run: run) }
      let step =
        try request.uri.queryParameters.get("time").map { try Self.step(atTime: $0, fps: info.fps) }
        ?? Self.integer(request, "step", in: 0...100_000) ?? 0
      let recorded = try await Self.runs {
        try recordings.state(project: project, run: run, step: step)
      }
      let options = try Self.renderOptions(request, width: info.width, height: info.height)
      let image = try await Self.render {
        try await simulation.renderer.render(
          .file(path: project.appendingPathComponent(info.xmlPath).path, confinedTo: project.path),
          state: recorded.state,
          options: options)
      }
      var response = Self.image(image, format: options.format)
      response.headers[.init("X-Tau-Step")!] = String(recorded.step)
      return response
    }
    router.get("/api/projects/:id/runs/:run/video") { request, context -> Response in
      let project = try await Self.project(store, context)
      let run = try Self.run(context)
      let info = try await Self.runs { try recordings.info(project: project, run: run) }
      let states = try await Self.runs { try recordings.states(project: project, run: run) }
      let options = try Self.renderOptions(request, width: info.width, height: info.height)
      let output = FileManager.default.temporaryDirectory.appendingPathComponent(
        "tau-video-\(UUID().uuidString).mp4")
      defer { try? FileManager.default.removeItem(at: output) }
      try await Self.render {
        try await VideoExporter(renderer: simulation.renderer).export(
          states: states,
          model: .file(
            path: project.appendingPathComponent(info.xmlPath).path, confinedTo: project.path),
          options: options, fps: info.fps, to: output)
      }
      let data = try await BlockingIO.run { try Data(contentsOf: output) }
      return Response(
        status: .ok,
        headers: [
          .contentType: "video/mp4",
          .contentDisposition: "attachment; filename=\"run-\(run).mp4\"",
        ],
        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
    router.post("/api/projects/:id/snapshot") { request, context -> Response in
      let (session, project, body) = try await Self.pictureInput(request, context, store)
      let steps = try Self.bounded(body.steps ?? 0, "steps", 0...Self.maximumSnapshotSteps)
      let options = try body.renderOptions()
      let result = try await Self.headless(
        simulation, session: session, project: project, steps: max(steps, 1))
      guard let state = steps == 0 ? result.states.first : result.states.last else {
        throw HTTPError(.unprocessableContent, message: Self.failure(result))
      }
      let image = try await Self.render {
        try await simulation.renderer.render(
          Self.model(project, result), state: state, options: options)
      }
      return Self.image(image, format: options.format)
    }
    router.post("/api/projects/:id/filmstrip") { request, context -> Response in
      let (session, project, body) = try await Self.pictureInput(request, context, store)
      let steps = try Self.bounded(body.steps ?? 300, "steps", 1...Self.maximumFilmstripSteps)
      let count = try Self.bounded(body.frames ?? 6, "frames", 1...Self.maximumFilmstripFrames)
      var options = try body.renderOptions()
      options.format = .jpeg
      let result = try await Self.headless(
        simulation, session: session, project: project, steps: steps)
      guard !result.states.isEmpty else {
        throw HTTPError(.unprocessableContent, message: Self.failure(result))
      }
      let model = Self.model(project, result)
      let picks = Filmstrip.evenlySpaced(count: count, of: result.states.count)
      var frames: [Filmstrip.Frame] = []
      for index in picks {
        let jpeg = try await Self.render {
          try await simulation.renderer.render(model, state: result.states[index], options: options)
        }
        frames.append(
          Filmstrip.Frame(
            step: result.telemetry[index].step, jpegBase64: jpeg.base64EncodedString()))
      }
      let positions = try await Self.render {
        try await simulation.renderer.trace(model, states: result.states)
      }
      return try Response.json(
        Filmstrip(
          frames: frames, metrics: Filmstrip.Metrics(result: result, rootPositions: positions),
          logs: result.logs.suffix(50).map { "[\($0.level)] \($0.message)" }))
    }
  }

  /// The session, project folder and body of a snapshot or filmstrip request.
  static func pictureInput(
    _ request: Request, _ context: TauRequestContext, _ store: ProjectStore
  ) async throws -> (SessionID, URL, PictureRequest) {
    var request = request
    let session = try context.requireSession()
    let project = try await project(store, context)
    return (session, project, try await request.decodeJSON(PictureRequest.self, limit: 64 * 1024))
  }

  /// Runs the project's env headless, in a slot of the session like any episode.
  static func headless(
    _ simulation: SimulationServices, session: SessionID, project: URL, steps: Int
  ) async throws -> HeadlessEpisode.Result {
    let scheduler = simulation.stream.scheduler
    try await scheduler.acquire(session: session.rawValue) { _ in }
    let result = await HeadlessEpisode(runner: simulation.runner).run(
      project: project, steps: steps)
    await scheduler.release(session: session.rawValue)
    return result
  }

  static func model(_ project: URL, _ result: HeadlessEpisode.Result) -> ModelSource {
    .file(
      path: project.appendingPathComponent(result.xmlPath ?? "scene.xml").path,
      confinedTo: project.path)
  }

  static func failure(_ result: HeadlessEpisode.Result) -> String {
    let errors = result.errors
    return errors.isEmpty ? "the episode produced no states" : errors.joined(separator: "\n")
  }

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

  /// Run look-ups, read off the event loops: an unknown or empty run is a 404 naming it.
  static func runs<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    do {
      return try await BlockingIO.run(body)
    } catch let error as RunError {
      if case .damaged = error {
        throw HTTPError(.unprocessableContent, message: error.description)
      }
      throw HTTPError(.notFound, message: error.description)
    } catch is CocoaError {
      throw HTTPError(.notFound, message: "the run's files are missing")
    }
  }

  /// Worker failures as HTTP: a request the worker refused is the client's
  /// (400); a crash or a time-out is the back end's (502, 504).
  static func render<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch let error as WorkerError {
      switch error {
      case .failed(let failure): throw HTTPError(.badRequest, message: failure.message)
      case .timedOut: throw HTTPError(.gatewayTimeout, message: error.description)
      default: throw HTTPError(.badGateway, message: error.description)
      }
    } catch let error as VideoError {
      throw HTTPError(.badGateway, message: error.description)
    }
  }

  static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws -> Int?
  {
    guard let text = request.uri.queryParameters.get(name) else { return nil }
    guard let value = Int(text) else {
      throw HTTPError(.badRequest, message: "\(name) must be a whole number")
    }
    return try bounded(value, name, range)
  }

  /// The recorded step nearest `time` seconds into a run of `fps` frames a second.
  static func step(atTime text: String, fps: Int) throws -> Int {
    guard let time = Double(text), time.isFinite, (0...100_000).contains(time) else {
      throw HTTPError(.badRequest, message: "time must be a number of seconds within 0...100000")
    }
    // fps comes from the run's own file, which the project's code could have rewritten.
    return Int(min(time * Double(max(fps, 0)), 1e9).rounded())
  }

  static func bounded(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
    guard range.contains(value) else {
      throw HTTPError(
        .badRequest,
        message: "\(name) = \(value) is outside \(range.lowerBound)...\(range.upperBound)")
    }
    return value
  }

  static func renderOptions(_ request: Request, width: Int, height: Int) throws -> RenderOptions {
    let query = request.uri.queryParameters
    let format: RenderOptions.Format = query.get("format") == "png" ? .png : .jpeg
    return RenderOptions(
      width: try integer(request, "width", in: RenderOptions.requestWidths) ?? width,
      height: try integer(request, "height", in: RenderOptions.requestHeights) ?? height,
      format: format, quality: query.get("render") == "high" ? .high : .fast,
      jpegQuality: try integer(request, "quality", in: RenderOptions.requestJPEGQualities)
        ?? RenderOptions.still.jpegQuality,
      camera: query.get("camera").map(CameraChoice.named) ?? .free)
  }

  static func image(_ data: Data, format: RenderOptions.Format) -> Response {
    Response(
      status: .ok, headers: [.contentType: format == .png ? "image/png" : "image/jpeg"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

/// The body of snapshot and filmstrip requests.
struct PictureRequest: Decodable {
  var steps: Int?
  var frames: Int?
  var width: Int?
  var height: Int?
  var camera: String?
  var format: String?
  var render: String?

  func renderOptions() throws -> RenderOptions {
    let still = RenderOptions.still
    let width = try RunRoutes.bounded(
      self.width ?? still.width, "width", RenderOptions.requestWidths)
    let height = try RunRoutes.bounded(
      self.height ?? still.height, "height", RenderOptions.requestHeights)
    return RenderOptions(
      width: width, height: height, format: format == "png" ? .png : .jpeg,
      quality: render == "fast" ? .fast : still.quality, jpegQuality: still.jpegQuality,
      camera: camera.map(CameraChoice.named) ?? .free)
  }
}
