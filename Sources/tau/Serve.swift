import ArgumentParser
import Foundation
import Logging
import Projects
import Rendering
import Server
import Simulation
import Workers

/// `tau serve` (and bare `tau`): starts the IDE's server and opens the browser.
///
/// Settings come from the flags, then the environment, then a `.env` file in the working
/// folder (the environment wins over `.env`). SIGINT and SIGTERM shut the server down
/// gracefully: requests in flight, file writes included, finish first.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start the tau-sim server (the default command) and open the browser.")

  @Option(help: "Bind address. Any address but loopback requires the printed access token.")
  var host: String = "127.0.0.1"

  @Option(help: "Port (default: $PORT, else 7860).")
  var port: Int?

  @Flag(help: "Do not open a browser.")
  var noBrowser = false

  @Option(
    name: .customLong("mujoco-gl"),
    help:
      "Offscreen GL backend: egl, osmesa or glfw (default: $MUJOCO_GL, else egl with a GPU, else osmesa)."
  )
  var mujocoGL: MuJoCoGL?

  @Option(help: "Where projects live (default: $PROJECTS_DIR, else ~/.tau/projects).")
  var projectsDir: String?

  @Flag(help: "Give each browser its own session and projects (also TAU_SINGLE_USER=0).")
  var multiUser = false

  @Option(
    name: .customLong("allowed-host"),
    help:
      "Another host name (or name:port) this server answers to; repeatable (also TAU_ALLOWED_HOSTS, comma-separated)."
  )
  var allowedHosts: [String] = []

  @Option(
    help: "The web app's folder (default: $TAU_WEB_DIR, else web/ found above the executable).")
  var webDir: String?

  @Flag(help: "Trust X-Forwarded-Proto from any peer (behind a reverse proxy on another machine).")
  var trustProxy = false

  func validate() throws {
    if let port, !(0...65535).contains(port) {
      throw ValidationError("--port must be between 0 and 65535")
    }
  }

  func run() async throws {
    let environment = Self.loadEnvironment()
    let configuration = try makeConfiguration(environment)
    setenv("MUJOCO_GL", configuration.mujocoGL, 1)

    var logger = Logger(label: "tau")
    logger.logLevel = .info
    let simulation = try Self.makeSimulation(configuration, environment: environment)
    await simulation.warmUp()
    let app = try await buildApplication(configuration, logger: logger, simulation: simulation)

    let url = configuration.browserURL()
    FileHandle.standardError.write(
      Data(
        """

          tau-sim - \(url)
          data:   \(configuration.projectsDirectory.path)
          render: MUJOCO_GL=\(configuration.mujocoGL)
          mode:   \(configuration.multiUser ? "multi-user (per-browser sessions)" : "single user")


        """.utf8))
    if configuration.webDirectory == nil {
      logger.warning("web/index.html not found; set TAU_WEB_DIR or --web-dir")
    }
    if !noBrowser {
      Task {
        try? await Task.sleep(for: .milliseconds(800))
        Self.openBrowser(url)
      }
    }
    try await app.runService()
    await simulation.shutdown()
  }

  /// Workers and admission for episodes: tau workers render with the chosen
  /// GL backend; python workers run the env under the limits of the
  /// environment (sandboxed in multi-user mode).
  static func makeSimulation(
    _ configuration: ServerConfiguration, environment: [String: String]
  ) throws -> SimulationServices {
    guard let root = InstallPaths.root(environment: environment) else {
      throw ValidationError(
        "cannot find tau-sim's python/tau_env_worker.py near the executable; set TAU_HOME")
    }
    let platform = try MuJoCoGL.resolve(
      flag: nil, environment: ["MUJOCO_GL": configuration.mujocoGL])
    func count(_ key: String, _ fallback: Int) -> Int {
      environment[key].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? fallback
    }
    var limits = EpisodeLimits(environment: environment, multiUser: configuration.multiUser)
    limits.project = configuration.limits
    let renderWorkers = count("TAU_RENDER_WORKERS", 2)
    let memoryLimitMB = WorkerLauncher.renderMemoryLimitMB(
      environment: environment, multiUser: configuration.multiUser, platform: platform)
    // Sandboxed episodes get sandboxed render workers too, one project each.
    let projectsRoot = configuration.projectsDirectory
    var projectPools: ProjectWorkerPools?
    if limits.sandbox, let bubblewrap = SandboxMounts.bubblewrap {
      projectPools = WorkerLauncher.projectPools(
        bubblewrap: bubblewrap, platform: platform, projectsRoot: projectsRoot,
        installRoot: root, memoryLimitMB: memoryLimitMB, maximumIdle: renderWorkers)
    }
    return SimulationServices(
      installRoot: root, projectsRoot: projectsRoot,
      renderPool: WorkerLauncher.pool(
        platform: platform, maximumWorkers: renderWorkers, warmGL: true,
        memoryLimitMB: memoryLimitMB),
      limits: limits,
      perSession: count("TAU_SESSION_EPISODES", 2), total: count("TAU_MAX_EPISODES", 4),
      projectPools: projectPools)
  }

  /// The process environment with `.env` (working folder) filled in underneath; the merged
  /// values are exported so every part of the process sees the same settings.
  static func loadEnvironment() -> [String: String] {
    let processEnvironment = ProcessInfo.processInfo.environment
    let dotEnv = DotEnv.load(
      URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".env"))
    for (key, value) in dotEnv where processEnvironment[key] == nil {
      setenv(key, value, 0)
    }
    return DotEnv.merged(environment: processEnvironment, dotEnv: dotEnv)
  }

  func makeConfiguration(_ environment: [String: String]) throws -> ServerConfiguration {
    let port =
      try port ?? environment["PORT"].map { value in
        guard let number = Int(value), (0...65535).contains(number) else {
          throw ValidationError("PORT must be a port number, not \(value.debugDescription)")
        }
        return number
      } ?? 7860

    let projectsPath =
      projectsDir ?? environment["PROJECTS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "~/.tau/projects"
    let projectsDirectory = URL(
      fileURLWithPath: (projectsPath as NSString).expandingTildeInPath
    ).standardizedFileURL

    let mujocoGL = try MuJoCoGL.resolve(flag: mujocoGL, environment: environment).rawValue

    var hosts = allowedHosts
    if let extra = environment["TAU_ALLOWED_HOSTS"] {
      hosts += extra.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty }
    }

    var configuration = ServerConfiguration(
      host: host, port: port, projectsDirectory: projectsDirectory,
      multiUser: multiUser || environment["TAU_SINGLE_USER"] == "0",
      webDirectory: Self.findWebDirectory(explicit: webDir ?? environment["TAU_WEB_DIR"]),
      allowedHosts: hosts,
      trustForwardedHeaders: trustProxy || environment["TAU_TRUST_PROXY"] == "1",
      mujocoGL: mujocoGL)
    if let value = environment["TAU_IDLE_TIMEOUT"], let seconds = Double(value), seconds > 0 {
      configuration.idleTimeout = .milliseconds(Int64(seconds * 1000))
    }
    configuration.connections = ConnectionLimits(environment: environment)
    configuration.assistantEnvironment = environment
    if let value = environment["TAU_NEW_SESSIONS_PER_ADDRESS"].flatMap(Int.init), value > 0 {
      configuration.newSessionsPerAddress = value
    }
    func megabytes(_ key: String) -> Int? {
      environment[key].flatMap(Int.init).flatMap { $0 >= 0 ? $0 * 1024 * 1024 : nil }
    }
    // A hosted server has an allowance for all its projects by default; a local one only
    // keeps the disk's last bytes free.
    // `TAU_MAX_DISK_MB=0` lifts the allowance.
    let allowance =
      megabytes("TAU_MAX_DISK_MB") ?? (configuration.multiUser ? 20 * 1024 * 1024 * 1024 : 0)
    configuration.limits.maxServerBytes = allowance > 0 ? allowance : nil
    if let free = megabytes("TAU_MIN_FREE_DISK_MB") { configuration.limits.minimumFreeBytes = free }
    if !configuration.bindsLoopback {
      let given = environment["TAU_TOKEN"].flatMap { $0.count >= 16 ? $0 : nil }
      configuration.token = given ?? SessionID.random().rawValue
    }
    return configuration
  }

  /// The web app's folder: `explicit` if given, else `web/` of tau-sim's own folder.
  static func findWebDirectory(explicit: String?) -> URL? {
    if let explicit, !explicit.isEmpty {
      return URL(fileURLWithPath: (explicit as NSString).expandingTildeInPath).standardizedFileURL
    }
    guard let web = InstallPaths.root()?.appendingPathComponent("web"),
      FileManager.default.fileExists(atPath: web.appendingPathComponent("index.html").path)
    else { return nil }
    return web
  }

  /// Opens `url` with xdg-open when there is one; never fails.
  static func openBrowser(_ url: String) {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
      .split(separator: ":").map { "\($0)/xdg-open" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let path else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = [url]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try? process.run()
  }
}
