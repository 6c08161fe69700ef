import Assistant
import Foundation
import MCP
import Projects
import Simulation
import Workers

extension MCPToolbox {
  func createProject(_ args: MCPArguments) async throws -> ProjectInfo {
    let name = args.optionalString("name")
    let template = args.optionalString("template") ?? "cartpole"
    if !ProjectTemplate.names.contains(template) {
      guard let menagerie else { throw MCPToolError("no template named \(template)") }
      return try await ProjectRoutes.create(
        robot: template, name: name, session: session, store: store, menagerie: menagerie)
    }
    return try await store.run { [session] in
      try $0.createProject(session: session, name: name, template: template)
    }
  }

  /// The model file a tool means: `xml` when given, else the env's, else `scene.xml`.
  func scene(_ args: MCPArguments, id: ProjectID) async throws -> (folder: URL, xml: String) {
    let folder = try await store.run { [session] in try $0.projectURL(session: session, id: id) }
    if let xml = args.optionalString("xml") {
      _ = try SafePath(xml)
      return (folder, xml)
    }
    let files = try await store.run { [session] in try $0.files(session: session, id: id) }
    guard let xml = ProjectEntry.scene(in: files) else {
      throw MCPToolError("the project has no scene: no xml_path in its env and no scene.xml")
    }
    return (folder, xml)
  }

  struct Validation: Codable {
    var ok: Bool
    var xml: String
    var errors: [CheckIssue]
    var warnings: [String]
  }

  func validate(_ args: MCPArguments) async throws -> Validation {
    let id = try project(args)
    let (folder, xml) = try await scene(args, id: id)
    let source = ModelSource.file(
      path: folder.appendingPathComponent(xml).path, confinedTo: folder.path)
    do {
      let summary = try await services().renderer.load(source)
      return Validation(
        ok: true, xml: xml, errors: [],
        warnings: summary.warnings.map { ProjectRelativeText.make($0, project: folder.path) })
    } catch WorkerError.failed(let failure) {
      let issue = CheckIssue(
        stage: .scene, message: ProjectRelativeText.make(failure.message, project: folder.path),
        file: failure.file.map { ProjectRelativeText.make($0, project: folder.path) } ?? xml,
        line: failure.line)
      return Validation(ok: false, xml: xml, errors: [issue], warnings: [])
    }
  }

  struct ModelTree: Codable {
    var xml: String
    var nq: Int
    var nv: Int
    var nu: Int
    var bodies: [String]
    var joints: [String]
    var actuators: [String]
    var sensors: [String]
    var cameras: [String]
  }

  func modelTree(_ args: MCPArguments) async throws -> ModelTree {
    let id = try project(args)
    let (folder, xml) = try await scene(args, id: id)
    let summary = try await services().renderer.load(
      .file(path: folder.appendingPathComponent(xml).path, confinedTo: folder.path))
    return ModelTree(
      xml: xml, nq: summary.nq, nv: summary.nv, nu: summary.nu, bodies: summary.bodies,
      joints: summary.joints, actuators: summary.actuators, sensors: summary.sensors,
      cameras: summary.cameras)
  }

  struct EpisodeOutcome: Codable {
    var runID: String?
    var totalReward: Double
    var steps: Int
    var reason: String
    var errors: [CheckIssue]
    var logs: [String]
    var telemetry: TelemetrySummary

    enum CodingKeys: String, CodingKey {
      case steps, reason, errors, logs, telemetry
      case runID = "run_id"
      case totalReward = "total_reward"
    }
  }

  /// A compact summary of a run's telemetry: reward range and mean, the last obs and action.
  struct TelemetrySummary: Codable {
    var rewardMin: Double?
    var rewardMax: Double?
    var rewardMean: Double?
    var lastObs: [Double]?
    var lastAction: [Double]?
    var diverged: Bool

    enum CodingKeys: String, CodingKey {
      case diverged
      case rewardMin = "reward_min"
      case rewardMax = "reward_max"
      case rewardMean = "reward_mean"
      case lastObs = "last_obs"
      case lastAction = "last_action"
    }

    init(_ result: HeadlessEpisode.Result) {
      let rewards = result.telemetry.map(\.reward)
      rewardMin = rewards.min()
      rewardMax = rewards.max()
      rewardMean = rewards.isEmpty ? nil : rewards.reduce(0, +) / Double(rewards.count)
      lastObs = result.telemetry.last?.obs.map { Array($0.prefix(64)) }
      lastAction = result.telemetry.last?.action.map { Array($0.prefix(64)) }
      diverged = result.states.contains { !$0.allSatisfy(\.isFinite) }
    }
  }

  /// One recorded episode in a slot of the session like any other (so the user sees it in
  /// the project's runs); a cancelled call stops it.
  func runEpisode(_ args: MCPArguments, progress: Progress) async throws -> EpisodeOutcome {
    let id = try project(args)
    let steps = try args.integer("steps", default: 500, in: 1...20_000)
    let fps = try args.integer("fps", default: 30, in: EpisodeSettings.fpsRange)
    let simulation = try services()
    let folder = try await store.run { [session] in try $0.projectURL(session: session, id: id) }
    await progress(0, Double(steps), "running \(steps) steps")
    let scheduler = simulation.stream.scheduler
    try await scheduler.acquire(session: session.rawValue) { _ in }
    let result = await HeadlessEpisode(runner: simulation.runner).run(
      project: folder, steps: steps, fps: fps)
    await scheduler.release(session: session.rawValue)
    await progress(Double(result.summary.steps), Double(steps), "done")
    let newest = simulation.recordings.list(project: folder).first
    return EpisodeOutcome(
      runID: newest?.id, totalReward: result.summary.totalReward, steps: result.summary.steps,
      reason: result.summary.reason.rawValue,
      errors: result.errors.map { ProposalChecker.issue(fromLog: $0) },
      logs: result.logs.suffix(30).map { "[\($0.level.rawValue)] \($0.message)" },
      telemetry: TelemetrySummary(result))
  }

  func run(_ args: MCPArguments) async throws -> [StepTelemetry] {
    let id = try project(args)
    let run = try args.string("run")
    guard run.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), !run.isEmpty
    else { throw MCPToolError("run must be a run id from run_episode") }
    let from = try args.integer("from", default: 0, in: 0...100_000)
    let count = try args.integer("count", default: 100, in: 1...1000)
    let folder = try await store.run { [session] in try $0.projectURL(session: session, id: id) }
    let telemetry = try await BlockingIO.run {
      try (try? self.services())?.recordings.telemetry(project: folder, run: run) ?? []
    }
    return Array(telemetry.dropFirst(from).prefix(count))
  }

  func snapshot(_ args: MCPArguments) async throws -> CallTool.Result {
    let id = try project(args)
    let steps = try args.integer("steps", default: 0, in: EpisodePictures.snapshotSteps)
    let width = try args.integer("width", default: 480, in: 16...1920)
    let height = try args.integer("height", default: 360, in: 16...1080)
    let folder = try await store.run { [session] in try $0.projectURL(session: session, id: id) }
    var options = RenderOptions.still
    options.width = width
    options.height = height
    options.format = .png
    let png = try await services().pictures.snapshot(
      session: session.rawValue, project: folder, steps: steps, options: options)
    let text = "A \(width)x\(height) picture of the project after \(steps) control steps."
    return CallTool.Result(content: [
      .image(data: png.base64EncodedString(), mimeType: "image/png", annotations: nil, _meta: nil),
      .text(text: text, annotations: nil, _meta: nil),
    ])
  }

  func filmstrip(_ args: MCPArguments) async throws -> CallTool.Result {
    let id = try project(args)
    let steps = try args.integer("steps", default: 200, in: EpisodePictures.filmstripSteps)
    let frames = try args.integer("frames", default: 4, in: EpisodePictures.filmstripFrames)
    let folder = try await store.run { [session] in try $0.projectURL(session: session, id: id) }
    let strip = try await services().pictures.filmstrip(
      session: session.rawValue, project: folder, steps: steps, frames: frames, options: .still)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let metrics = String(decoding: try encoder.encode(strip.metrics), as: UTF8.self)
    var content: [Tool.Content] = strip.frames.map {
      .image(data: $0.jpegBase64, mimeType: "image/jpeg", annotations: nil, _meta: nil)
    }
    content.append(
      .text(
        text:
          "Steps \(strip.frames.map { String($0.step) }.joined(separator: ", ")). Numbers: \(metrics)",
        annotations: nil, _meta: nil))
    return CallTool.Result(content: content)
  }

  func checkChange(_ args: MCPArguments, progress: @escaping Progress) async throws -> CheckReport {
    let id = try project(args)
    let proposals = try args.array("files").map { file -> Proposal in
      guard let object = file.objectValue, let path = object["path"]?.stringValue,
        let content = object["content"]?.stringValue
      else { throw MCPToolError("each of files is {path, content}") }
      return Proposal(path: path, newContent: content)
    }
    guard !proposals.isEmpty else { throw MCPToolError("files is empty: nothing to check") }
    var options = CheckOptions()
    options.steps = try args.integer("steps", default: 200, in: CheckOptions.stepRange)
    await progress(0, nil, "checking \(proposals.count) files")
    return try await assistant.check(proposals, project: id, session: session, options: options)
      .report
  }

  func menagerieSearch(_ args: MCPArguments) async throws -> [MenagerieRoutes.CatalogEntry] {
    guard let menagerie else { throw MCPToolError("this server has no Menagerie catalog") }
    return MenagerieRoutes.CatalogEntry.matching(
      try await menagerie.catalog(), category: args.optionalString("category"),
      query: args.optionalString("query") ?? "")
  }
}
