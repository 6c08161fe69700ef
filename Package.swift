// swift-tools-version:6.0
import Foundation
import PackageDescription

// libmujoco.so comes from the pinned `mujoco` wheel in .venv; scripts/setup
// links it (and its headers) under .mujoco/, so the Swift side and the Python
// worker load the very same file. An absolute rpath keeps that true for every
// binary the package builds (tau, the tests, the benchmark).
// Linux only: the workers, the sandbox and the file store call Glibc directly (posix_spawn
// with GNU extensions, openat/O_NOFOLLOW walks, bubblewrap, prctl), and OSMesa/EGL render.
#if !os(Linux)
  fatalError("tau-sim builds on Linux only (it calls Glibc directly)")
#endif

let mujocoLib = "\(Context.packageDirectory)/.mujoco/lib"
if !FileManager.default.fileExists(atPath: "\(mujocoLib)/libmujoco.so") {
  fatalError(
    "MuJoCo is not set up: run `make setup` (scripts/setup) in \(Context.packageDirectory)")
}
let linksMuJoCo: [LinkerSetting] = [
  .unsafeFlags(["-L\(mujocoLib)", "-Xlinker", "-rpath", "-Xlinker", mujocoLib]),
  .linkedLibrary("mujoco"),
]

let package = Package(
  name: "tau-sim",
  products: [
    .executable(name: "tau", targets: ["tau"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
  ],
  targets: [
    // C headers of the pinned wheel (include/mujoco is a committed symlink
    // into .mujoco/include, made by scripts/setup).
    .target(name: "CMuJoCo", linkerSettings: linksMuJoCo),
    // OSMesa / EGL contexts, loaded with dlopen so one process never links both.
    .target(name: "CGLPlatform", linkerSettings: [.linkedLibrary("dl")]),
    // posix_spawn with GNU extensions (new session, working folder).
    .target(name: "CProcess"),
    // JPEG (libturbojpeg) and PNG (libpng) encoders and decoders.
    .target(
      name: "CImageCodecs",
      linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("png")]
    ),
    // SHA-256, for content hashes (a compiled model's scene epoch).
    .target(name: "CDigest"),
    .target(name: "MuJoCo", dependencies: ["CMuJoCo"]),
    .target(
      name: "Rendering",
      dependencies: ["MuJoCo", "CMuJoCo", "CGLPlatform", "CImageCodecs"]
    ),
    .target(
      name: "Workers",
      dependencies: [
        // For what an image request may ask (presets, cameras, the largest size); a
        // server never renders itself, its tau workers do.
        "CProcess", "Rendering",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "ModelWorker",
      dependencies: ["CMuJoCo", "CDigest", "MuJoCo", "Rendering", "Workers"]
    ),
    .target(
      name: "Projects",
      dependencies: [
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The one HTTP client for calls outward (GitHub, the language models' vendors).
    .target(
      name: "Outbound",
      dependencies: [.product(name: "AsyncHTTPClient", package: "async-http-client")]
    ),
    .target(
      name: "Simulation",
      dependencies: [
        "Workers", "Projects", "Outbound",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // The assistant: language-model providers over raw HTTP, prompts and context, proposals
    // checked by the simulator, the manual queue.
    .target(
      name: "Assistant",
      dependencies: [
        "Projects", "Workers", "Simulation", "Outbound",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "Server",
      dependencies: [
        "Projects", "Workers", "Simulation", "Assistant",
        // The MCP server (`/mcp` and `tau mcp`): the official Swift SDK's server and transports.
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "WSCore", package: "swift-websocket"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "tau",
      dependencies: [
        "MuJoCo", "Rendering", "Workers", "ModelWorker", "Projects", "Simulation", "Server",
        "Assistant", "Outbound",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .executableTarget(
      name: "tau-bench",
      dependencies: ["MuJoCo", "Rendering", "TestSupport"],
      path: "bench/Sources/tau-bench"
    ),
    // Paths and helpers the test targets share (package root, .venv's
    // Python, the built tau binary, Menagerie models, the cartpole scene).
    .target(name: "TestSupport", dependencies: ["Projects"], path: "Tests/TestSupport"),
    .testTarget(name: "MuJoCoTests", dependencies: ["MuJoCo", "TestSupport"]),
    .testTarget(name: "RenderingTests", dependencies: ["MuJoCo", "Rendering", "TestSupport"]),
    .testTarget(name: "WorkersTests", dependencies: ["Workers", "TestSupport"]),
    .testTarget(
      name: "ModelWorkerTests",
      dependencies: ["ModelWorker", "CDigest", "MuJoCo", "Rendering", "Workers", "TestSupport"]),
    // `tau` as a user runs it: the built binary, its exit codes and output.
    .testTarget(name: "CLITests", dependencies: ["Workers", "TestSupport"]),
    .testTarget(name: "ProjectsTests", dependencies: ["Projects", "TestSupport"]),
    .testTarget(name: "SimulationTests", dependencies: ["Simulation", "Workers", "TestSupport"]),
    // Each vendor's wire format against loopback servers that speak it.
    .testTarget(
      name: "AssistantTests",
      dependencies: [
        "Assistant", "TestSupport",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .testTarget(
      name: "ServerTests",
      dependencies: [
        "Server", "Projects", "Simulation", "Workers", "TestSupport", "Rendering",
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
        // Requests that may take minutes under a full parallel run (HummingbirdTesting's
        // live client gives up after 20 s without a byte).
        "Outbound", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        // The SDK's own MCP client, over HTTP and over stdio (`tau mcp`).
        .product(name: "MCP", package: "swift-sdk"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["Fixtures"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
