import Assistant
import Foundation
import Hummingbird
import Logging
import Projects
import Simulation

/// Builds the tau server: the routes of every concern behind the security middleware, on an
/// HTTP/1 server that also upgrades `/ws/...` to WebSockets. `tau serve` runs what this returns
/// (`runService()` handles SIGINT/SIGTERM gracefully); tests drive it with `app.test(...)`.
///
/// Middleware order, outermost first: security headers, errors as `{"detail"}`, Host check,
/// token, Origin check, session. WebSocket upgrades pass the same guards.
public func buildApplication(
  _ configuration: ServerConfiguration, logger: Logger? = nil, simulation: SimulationServices? = nil
) async throws -> some ApplicationProtocol {
  var logger = logger ?? Logger(label: "tau.server")
  if logger.logLevel > .info { logger.logLevel = .info }
  let store = try ProjectStore(
    root: configuration.projectsDirectory, limits: configuration.limits, logger: logger)
  // Before the first request, so no write in progress is taken for a leftover.
  _ = try? await store.run { $0.removeLeftovers() }
  let sessions = SessionRegistry(
    projectsDirectory: store.root, newSessionsPerAddress: configuration.newSessionsPerAddress)
  let router = buildRouter(
    configuration, store: store, sessions: sessions, simulation: simulation, webSocket: false)
  let upgradeRouter = buildRouter(
    configuration, store: store, sessions: sessions, simulation: simulation, webSocket: true)
  return Application(
    router: router,
    server: .tau(
      upgrades: upgradeRouter.buildResponder(), settings: configuration.webSocketSettings,
      connections: configuration.connections),
    configuration: .init(
      address: .hostname(configuration.host, port: configuration.port), serverName: "tau"),
    logger: logger
  )
}

/// One router: the HTTP routes, or (with `webSocket`) only the routes that may upgrade, which
/// `TauServerChannel` runs on upgrade requests (so no other route runs twice when it refuses).
func buildRouter(
  _ configuration: ServerConfiguration, store: ProjectStore, sessions: SessionRegistry,
  simulation: SimulationServices?, webSocket: Bool
) -> Router<TauRequestContext> {
  let router = Router(context: TauRequestContext.self)
  let allowList = HostAllowList(configuration: configuration)
  let trustForwarded = configuration.trustForwardedHeaders
  let secureCookie: @Sendable (Request, TauRequestContext) -> Bool = { request, context in
    if request.head.scheme == "https" { return true }
    guard trustForwarded || context.peerIsLoopback,
      let forwarded = request.headers[.xForwardedProto]
    else { return false }
    return forwarded.lowercased().split(separator: ",").first?.trimmingCharacters(in: .whitespaces)
      == "https"
  }
  router.add(middleware: SecurityHeadersMiddleware())
  router.add(middleware: ErrorDetailMiddleware())
  router.add(middleware: HostCheckMiddleware(allowList: allowList))
  router.add(middleware: TokenMiddleware(token: configuration.token, secureCookie: secureCookie))
  router.add(middleware: OriginCheckMiddleware(allowList: allowList))
  router.add(
    middleware: SessionMiddleware(
      multiUser: configuration.multiUser,
      registry: sessions,
      secureCookie: secureCookie))

  // Scene documents, shared by their routes and the 3D views' streams (their epochs).
  let scenes = SceneCache()
  let stream = simulation.map { scenes.epochs(for: $0.stream, renderer: $0.renderer) }
  if webSocket {
    SimulationStreamRoutes(store: store, stream: stream).register(on: router)
    return router
  }
  HealthRoutes().register(on: router)
  let menagerie = simulation.map { MenagerieService(store: store, simulation: $0) }
  ProjectRoutes(store: store, menagerie: menagerie).register(on: router)
  FileRoutes(store: store).register(on: router)
  HistoryRoutes(store: store).register(on: router)
  TrashRoutes(store: store).register(on: router)
  ArchiveRoutes(store: store).register(on: router)
  SimulationStreamRoutes(store: store, stream: stream).register(on: router)
  if let simulation {
    RunRoutes(store: store, simulation: simulation).register(on: router)
    PictureRoutes(store: store, simulation: simulation).register(on: router)
    SceneRoutes(store: store, simulation: simulation, cache: scenes).register(on: router)
    if let menagerie { MenagerieRoutes(service: menagerie).register(on: router) }
  }
  let assistant = AssistantService(
    store: store, simulation: simulation, environment: configuration.assistantEnvironment,
    multiUser: configuration.multiUser)
  ChatRoutes(assistant: assistant).register(on: router)
  ManualRoutes(assistant: assistant).register(on: router)
  AssistantRoutes(
    assistant: assistant,
    providers: ProviderCatalog(
      environment: configuration.assistantEnvironment, makeProvider: assistant.makeProvider),
    menagerie: menagerie
  ).register(on: router)
  MCPRoutes(store: store, simulation: simulation, assistant: assistant, menagerie: menagerie)
    .register(on: router)
  StaticFileRoutes(
    webDirectory: configuration.webDirectory, vendorDirectories: configuration.vendorDirectories
  ).register(on: router)
  return router
}

extension HTTPFields.Element.Name {
  static let xForwardedProto = Self("X-Forwarded-Proto")!
}

extension ServerConfiguration {
  /// The connection settings of this configuration.
  var webSocketSettings: WebSocketSettings {
    var settings = WebSocketSettings()
    settings.idleTimeout = idleTimeout
    return settings
  }
}
