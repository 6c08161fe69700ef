import Foundation
import Hummingbird
import HummingbirdTesting
import MCP
import Projects
import SystemPackage
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Coding agents over MCP, with the SDK's own client: over HTTP against a live server, and
/// over stdio against `tau mcp`.
@Suite("MCP")
struct MCPTests {
  /// The text of a tool result's first text content, as JSON (a list as `items`, as the
  /// structured content has it).
  static func json(_ content: [Tool.Content]) -> [String: Any] {
    for item in content {
      if case .text(let text, _, _) = item,
        let value = try? JSONSerialization.jsonObject(with: Data(text.utf8))
      {
        if let object = value as? [String: Any] { return object }
        return ["items": value]
      }
    }
    return [:]
  }

  static func text(_ content: [Tool.Content]) -> String {
    content.compactMap { item -> String? in
      if case .text(let text, _, _) = item { return text }
      return nil
    }.joined(separator: "\n")
  }

  /// What an agent does: create a project, break and fix its env, look at it, check a
  /// broken scene, restore a version; and a path outside the project is refused.
  static func scenario(_ mcp: Client) async throws {
    let tools = try await mcp.listTools().tools.map(\.name)
    for name in [
      "list_projects", "create_project", "read_file", "write_file", "run_episode", "snapshot",
      "check_change", "restore_file", "menagerie_search", "menagerie_import", "model_tree",
    ] {
      #expect(tools.contains(name), "\(name) missing from \(tools)")
    }
    let created = try await mcp.callTool(
      name: "create_project", arguments: ["name": "agent", "template": "cartpole"])
    let id = try #require(json(created.content)["id"] as? String, "\(text(created.content))")

    let original = text(
      try await mcp.callTool(
        name: "read_file", arguments: ["project": .string(id), "path": "env.py"]
      )
      .content)
    let broken = original.replacingOccurrences(
      of: "    def step(self, model, data, action):\n",
      with: "    def step(self, model, data, action):\n        raise ValueError('agent broke it')\n"
    )
    #expect(broken != original)
    let line = broken.components(separatedBy: "\n").firstIndex { $0.contains("agent broke it") }
      .map { $0 + 1 }
    _ = try await mcp.callTool(
      name: "write_file",
      arguments: ["project": .string(id), "path": "env.py", "content": .string(broken)])
    let failed = json(
      try await mcp.callTool(name: "run_episode", arguments: ["project": .string(id), "steps": 20])
        .content)
    let error = try #require((failed["errors"] as? [[String: Any]])?.first, "\(failed)")
    #expect(error["file"] as? String == "env.py" && error["line"] as? Int == line, "\(error)")

    _ = try await mcp.callTool(
      name: "write_file",
      arguments: ["project": .string(id), "path": "env.py", "content": .string(original)])
    let ran = json(
      try await mcp.callTool(name: "run_episode", arguments: ["project": .string(id), "steps": 50])
        .content)
    let reward = try #require(ran["total_reward"] as? Double, "\(ran)")
    #expect(reward.isFinite && ran["steps"] as? Int == 50)
    #expect(ran["run_id"] is String)

    let snapshot = try await mcp.callTool(
      name: "snapshot", arguments: ["project": .string(id), "width": 64, "height": 48])
    var png: Data?
    for item in snapshot.content {
      if case .image(let data, let mime, _, _) = item, mime == "image/png" {
        png = Data(base64Encoded: data)
      }
    }
    let image = try #require(png, "no PNG in \(snapshot.content)")
    #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    let size = [image[16..<20], image[20..<24]].map { $0.reduce(0) { $0 << 8 | Int($1) } }
    #expect(size == [64, 48])

    let scene = text(
      try await mcp.callTool(
        name: "read_file", arguments: ["project": .string(id), "path": "scene.xml"]
      )
      .content)
    var lines = scene.components(separatedBy: "\n")
    lines[1] = "  <option timestep=\"0.01\" bogus=\"1\"/>"
    let checked = json(
      try await mcp.callTool(
        name: "check_change",
        arguments: [
          "project": .string(id),
          "files": [["path": "scene.xml", "content": .string(lines.joined(separator: "\n"))]],
        ]
      ).content)
    #expect(checked["ok"] as? Bool == false)
    #expect((checked["errors"] as? [[String: Any]])?.first?["line"] as? Int == 2, "\(checked)")
    let after = text(
      try await mcp.callTool(
        name: "read_file", arguments: ["project": .string(id), "path": "scene.xml"]
      )
      .content)
    #expect(after == scene)

    // The history: the agent's writes attributed to it; a version restored.
    let history = try await mcp.callTool(
      name: "file_history", arguments: ["project": .string(id), "path": "env.py"])
    let versions = try #require(json(history.content)["items"] as? [[String: Any]])
    #expect(
      (versions.first?["replaced_by"] as? [String: Any])?["client"] as? String == "tau-test-agent")
    let version = try #require(versions.first?["version"] as? String)
    _ = try await mcp.callTool(
      name: "restore_file",
      arguments: ["project": .string(id), "path": "env.py", "version": .string(version)])
    let restored = text(
      try await mcp.callTool(
        name: "read_file", arguments: ["project": .string(id), "path": "env.py"]
      )
      .content)
    #expect(restored == broken)

    let escape = try await mcp.callTool(
      name: "read_file", arguments: ["project": .string(id), "path": "../../etc/passwd"])
    #expect(escape.isError == true)
    let escapeWrite = try await mcp.callTool(
      name: "write_file", arguments: ["project": .string(id), "path": "../x.py", "content": "1"])
    #expect(escapeWrite.isError == true, "\(text(escapeWrite.content))")

    let contract = try await mcp.getPrompt(name: "tau_env_contract", arguments: ["project": id])
    #expect(!contract.messages.isEmpty)
  }

  @Test("Over HTTP against a live server, with the SDK's client")
  func overHTTP() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let transport = HTTPClientTransport(
        endpoint: URL(string: "http://127.0.0.1:\(port)/mcp")!, streaming: false)
      let mcp = Client(name: "tau-test-agent", version: "1.0")
      _ = try await mcp.connect(transport: transport)
      try await Self.scenario(mcp)
      await mcp.disconnect()
    }
  }

  /// `tau mcp ARGUMENTS` with the SDK's client on its stdin and stdout.
  static func withStdio(_ arguments: [String], home: URL, _ body: (Client) async throws -> Void)
    async throws
  {
    let (process, toServer, fromServer) = try await onOwnThread { () -> (Process, Pipe, Pipe) in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: TestPaths.tauExecutable)
      process.arguments = ["mcp"] + arguments
      process.environment = [
        "PATH": "/usr/bin:/bin", "HOME": home.path, "MUJOCO_GL": "osmesa",
        "MENAGERIE_ROOT": TestPaths.menagerie.path,
        "MENAGERIE_BASE_URL": "http://127.0.0.1:9/unreachable",
        "TAU_GITHUB_API_URL": "http://127.0.0.1:9/unreachable",
      ]
      let toServer = Pipe()
      let fromServer = Pipe()
      process.standardInput = toServer
      process.standardOutput = fromServer
      try process.run()
      return (process, toServer, fromServer)
    }
    defer { kill(process.processIdentifier, SIGKILL) }
    let transport = StdioTransport(
      input: FileDescriptor(rawValue: fromServer.fileHandleForReading.fileDescriptor),
      output: FileDescriptor(rawValue: toServer.fileHandleForWriting.fileDescriptor))
    let mcp = Client(name: "tau-test-agent", version: "1.0")
    _ = try await mcp.connect(transport: transport)
    try await body(mcp)
    await mcp.disconnect()
  }

  @Test("Over stdio against tau mcp on a projects folder")
  func overStdio() async throws {
    let projects = try makeTemporaryFolder()
    try await Self.withStdio(["--projects-dir", projects.path], home: projects) { mcp in
      try await Self.scenario(mcp)
    }
  }

  @Test("Over stdio against a running IDE (tau mcp --server): the work lands in the server")
  func overStdioToServer() async throws {
    let server = try TestServer()
    try await server.testWithSimulation { client, _ in
      let port = try #require(client.port)
      try await Self.withStdio(
        ["--server", "http://127.0.0.1:\(port)"], home: try makeTemporaryFolder()
      ) { mcp in
        try await Self.scenario(mcp)
      }
      // The agent's project is the IDE's, as the user sees it.
      let listed = try await SlowClient(port: port).send(.get, "/api/projects")
      let projects = try JSONDecoder().decode([ProjectInfo].self, from: listed.data)
      #expect(projects.contains { $0.name == "agent" })
    }
  }

  @Test("/mcp refuses a foreign Origin and a missing token exactly like the other routes")
  func guarded() async throws {
    try await TestServer(token: "mcp-test-token-0123456789").test { client in
      let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#
      for path in ["/mcp", "/api/projects"] {
        let method: HTTPRequest.Method = path == "/mcp" ? .post : .get
        let noToken = try await client.execute(
          uri: path, method: method, headers: [.contentType: "application/json"],
          body: ByteBuffer(string: initialize))
        #expect(noToken.status == .unauthorized, "\(path)")
        let foreign = try await client.execute(
          uri: path, method: method,
          headers: [
            .contentType: "application/json", .cookie: "tau_token=mcp-test-token-0123456789",
            .origin: "https://evil.example",
          ], body: ByteBuffer(string: initialize))
        #expect(foreign.status == .forbidden, "\(path)")
      }
    }
  }
}
