import Foundation
import Hummingbird
import Projects
import Simulation
import Workers

/// What a browser viewer and the model inspector load: a project's scene as one binary
/// document (`docs/SCENE.md`), the scene a recorded run used, and the model's tree.
///
/// Documents are made by a tau worker, like every compile, and cached here (`SceneCache`).
/// The document's epoch is its ETag: a client that sends it back in `If-None-Match` gets a
/// 304 while the model is unchanged, and `Cache-Control: no-cache` makes browsers ask.
struct SceneRoutes {
  let store: ProjectStore
  let simulation: SimulationServices
  let cache: SceneCache

  static let mediaType = "application/vnd.tau.scene"

  func register(on router: Router<TauRequestContext>) {
    let store = store
    let renderer = simulation.renderer
    let recordings = simulation.recordings
    let cache = cache

    router.get("/api/projects/:id/scene") { request, context -> Response in
      let (project, path) = try await Self.modelFile(request, context, store)
      return try await Self.scene(
        of: path, in: project, request: request, renderer: renderer, cache: cache)
    }
    router.get("/api/projects/:id/runs/:run/scene") { request, context -> Response in
      let project = try await RunRoutes.project(store, context)
      let run = try RunRoutes.run(context)
      let info = try await SimulationHTTP.runs { try recordings.info(project: project, run: run) }
      // run.json is the project's to rewrite: its path is checked like a client's.
      let path = try SafePath(info.xmlPath)
      return try await Self.scene(
        of: path, in: project, request: request, renderer: renderer, cache: cache)
    }
    router.get("/api/projects/:id/runs/:run/poses") { request, context -> Response in
      let project = try await RunRoutes.project(store, context)
      let run = try RunRoutes.run(context)
      let info = try await SimulationHTTP.runs { try recordings.info(project: project, run: run) }
      let path = try SafePath(info.xmlPath)
      let states = try await SimulationHTTP.runs {
        try recordings.states(project: project, run: run)
      }
      let from = try RequestValues.integer(request, "from", in: 0...1_000_000) ?? 0
      let count =
        try RequestValues.integer(request, "count", in: 1...Self.maximumReplayPoses)
        ?? Self.maximumReplayPoses
      let slice = Array(states.dropFirst(from).prefix(count))
      let file = project.appendingPathComponent(path.description).path
      let (scene, posed) = try await SimulationHTTP.worker(project: project) {
        async let scene = cache.document(file: file, project: project, renderer: renderer)
        async let posed = renderer.poses(Self.source(path, in: project), states: slice)
        return try await (scene, posed)
      }
      return Self.replay(
        ReplayHeader(
          epoch: scene.epoch, xmlPath: path.description, bodies: posed.bodies,
          lights: posed.lights, from: from, count: slice.count, states: states.count),
        states: slice, poses: posed.poses)
    }
    router.get("/api/projects/:id/model") { request, context -> Response in
      let (project, path) = try await Self.modelFile(request, context, store)
      let tree = try await SimulationHTTP.worker(project: project) {
        try await renderer.inspect(Self.source(path, in: project))
      }
      return try Response.json(tree)
    }
  }

  /// The project's folder and the model file a request names: `?xml=PATH` (project-relative),
  /// else `scene.xml`, else the first `.xml` at the project's top in sorted order. The env's
  /// own `xml_path` is known only by running `env.py`, which a viewer must not wait for.
  static func modelFile(
    _ request: Request, _ context: TauRequestContext, _ store: ProjectStore
  ) async throws -> (URL, SafePath) {
    let session = try context.requireSession()
    let id = try context.projectID()
    let asked = try request.uri.queryParameters.get("xml").map { try SafePath($0) }
    let (project, files) = try await store.run { store in
      (
        try store.projectURL(session: session, id: id),
        try store.project(session: session, id: id).files
      )
    }
    if let asked {
      guard files.contains(asked.description) else {
        throw HTTPError(.notFound, message: "the project has no file \(asked)")
      }
      return (project, asked)
    }
    let topLevel = files.filter { !$0.contains("/") && $0.lowercased().hasSuffix(".xml") }
    guard let entry = topLevel.contains("scene.xml") ? "scene.xml" : topLevel.sorted().first
    else {
      throw HTTPError(
        .notFound, message: "the project has no scene: no scene.xml or other .xml at its top")
    }
    return (project, try SafePath(entry))
  }

  static func source(_ path: SafePath, in project: URL) -> ModelSource {
    .file(path: project.appendingPathComponent(path.description).path, confinedTo: project.path)
  }

  /// The document of the model at `path`, from the cache when its files are unchanged, else
  /// from a tau worker; a 304 when the client already has this epoch.
  static func scene(
    of path: SafePath, in project: URL, request: Request, renderer: ModelWorkerClient,
    cache: SceneCache
  ) async throws -> Response {
    let file = project.appendingPathComponent(path.description).path
    let scene = try await SimulationHTTP.worker(project: project) {
      try await cache.document(file: file, project: project, renderer: renderer)
    }
    let tag = "\"\(scene.epoch)\""
    var headers: HTTPFields = [.eTag: tag, .cacheControl: "no-cache"]
    if let asked = request.headers[.ifNoneMatch], Self.matches(asked, tag) {
      return Response(status: .notModified, headers: headers)
    }
    headers[.contentType] = mediaType
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: scene.data)))
  }

  /// Poses one replay answer holds at most (a minute at 30 fps is 1800).
  static let maximumReplayPoses = 3600

  struct ReplayHeader: Encodable {
    var epoch: String
    var xmlPath: String
    var bodies: [Int]
    var lights: [Int]
    var from: Int
    var count: Int
    /// States the run recorded in all (the reset state and one per control step).
    var states: Int

    enum CodingKeys: String, CodingKey {
      case epoch, bodies, lights, from, count, states
      case xmlPath = "xml_path"
    }
  }

  /// A recorded run as poses: `TAUR`, u32 header length, the JSON header, then `count` pose
  /// messages laid end to end, each exactly as the live stream sends one (`PosePacket`).
  static func replay(_ header: ReplayHeader, states: [[Double]], poses: Data) -> Response {
    let json = (try? JSONEncoder().encode(header)) ?? Data("{}".utf8)
    let each = header.count > 0 ? poses.count / header.count : 0
    var body = Data("TAUR".utf8)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { body.append(contentsOf: $0) }
    body.append(json)
    for (index, state) in states.enumerated() {
      let start = poses.startIndex + index * each
      body.append(
        PosePacket(
          epoch: PosePacket.epochNumber(header.epoch), step: header.from + index,
          time: state.first ?? 0, bodies: header.bodies.count, lights: header.lights.count,
          poses: poses[start..<start + each]
        ).encoded)
    }
    return Response(
      status: .ok, headers: [.contentType: "application/vnd.tau.poses", .cacheControl: "no-cache"],
      body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }

  /// Whether an `If-None-Match` list names `tag` (weak tags compare equal, `*` matches all).
  static func matches(_ header: String, _ tag: String) -> Bool {
    header.split(separator: ",").contains { item in
      let trimmed = item.trimmingCharacters(in: .whitespaces)
      let strong = trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
      return strong == "*" || strong == tag
    }
  }
}
