import MCP

/// The tools an agent is given, each with the JSON Schema of its input. Names and fields in
/// snake_case, as agents are used to.
enum MCPToolList {
  static func object(_ properties: [String: Value], required: [String] = []) -> Value {
    .object([
      "type": "object", "properties": .object(properties),
      "required": .array(required.map { .string($0) }), "additionalProperties": false,
    ])
  }

  static func string(_ description: String) -> Value {
    .object(["type": "string", "description": .string(description)])
  }

  static func integer(_ description: String, minimum: Int, maximum: Int) -> Value {
    .object([
      "type": "integer", "description": .string(description), "minimum": .int(minimum),
      "maximum": .int(maximum),
    ])
  }

  static let project = string("The project's id (from list_projects or create_project).")
  static let path = string("A project-relative path, such as env.py or scene.xml.")
  static let xml = string("The MJCF file to use (default: the env's xml_path, else scene.xml).")
  static let files: Value = .object([
    "type": "array", "description": "Whole new contents of project files.",
    "items": object(
      ["path": path, "content": string("The complete new text.")], required: ["path", "content"]),
  ])

  static let all: [Tool] = [
    Tool(
      name: "list_projects", description: "The projects, with their ids, names and files.",
      inputSchema: object([:]), annotations: .init(readOnlyHint: true)),
    Tool(
      name: "create_project",
      description:
        "Create a project from a template (cartpole, empty, ...) or a MuJoCo Menagerie robot's name (e.g. franka_emika_panda).",
      inputSchema: object([
        "name": string("The project's display name."),
        "template": string("A template name or a Menagerie robot's name (default cartpole)."),
      ])),
    Tool(
      name: "list_files", description: "The project's files.",
      inputSchema: object(["project": project], required: ["project"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "read_file", description: "One project file's text.",
      inputSchema: object(["project": project, "path": path], required: ["project", "path"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "write_file",
      description:
        "Write a project file (whole content). The old content goes to the file's history, so the user can undo it.",
      inputSchema: object(
        ["project": project, "path": path, "content": string("The complete new text.")],
        required: ["project", "path", "content"])),
    Tool(
      name: "file_history", description: "The saved earlier versions of a file, newest first.",
      inputSchema: object(["project": project, "path": path], required: ["project", "path"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "restore_file", description: "Put a saved version of a file back (itself undoable).",
      inputSchema: object(
        ["project": project, "path": path, "version": string("A version from file_history.")],
        required: ["project", "path", "version"])),
    Tool(
      name: "validate", description: "Compile the project's MJCF scene: errors with file and line.",
      inputSchema: object(["project": project, "xml": xml], required: ["project"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "model_tree",
      description: "The compiled model's bodies, joints, actuators, sensors and cameras.",
      inputSchema: object(["project": project, "xml": xml], required: ["project"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "run_episode",
      description:
        "Run the project's episode headless: total reward, steps, why it ended, errors with file and line, a telemetry summary and the run id.",
      inputSchema: object(
        [
          "project": project,
          "steps": integer("Control steps (default 500).", minimum: 1, maximum: 20000),
          "fps": integer(
            "Control steps per simulated second (default 30).", minimum: 1, maximum: 240),
        ], required: ["project"])),
    Tool(
      name: "get_run", description: "Telemetry of a recorded run: reward, obs and action per step.",
      inputSchema: object(
        [
          "project": project, "run": string("The run id from run_episode."),
          "from": integer("First step (default 0).", minimum: 0, maximum: 100_000),
          "count": integer("Steps to return (default 100).", minimum: 1, maximum: 1000),
        ], required: ["project", "run"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "snapshot",
      description: "A PNG of the project after reset and N control steps, with the numbers.",
      inputSchema: object(
        [
          "project": project,
          "steps": integer("Control steps first (default 0).", minimum: 0, maximum: 2000),
          "width": integer("Width in pixels (default 480).", minimum: 16, maximum: 1920),
          "height": integer("Height in pixels (default 360).", minimum: 16, maximum: 1080),
        ], required: ["project"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "filmstrip",
      description:
        "K pictures spaced over a short run, with its numbers (judge motion by the numbers too).",
      inputSchema: object(
        [
          "project": project,
          "steps": integer("Control steps (default 200).", minimum: 1, maximum: 3000),
          "frames": integer("Pictures (default 4).", minimum: 1, maximum: 16),
        ], required: ["project"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "check_change",
      description:
        "Check files without writing them: the scene compiles, the env runs N steps in a sandbox, and the behaviour before and after side by side.",
      inputSchema: object(
        [
          "project": project, "files": files,
          "steps": integer("Smoke-run steps (default 200).", minimum: 1, maximum: 5000),
        ], required: ["project", "files"]),
      annotations: .init(readOnlyHint: true)),
    Tool(
      name: "menagerie_search",
      description: "Search MuJoCo Menagerie's robots by name, display name or category.",
      inputSchema: object([
        "query": string("Words of the name (optional)."),
        "category": string("arm, humanoid, quadruped, end_effector, ... (optional)."),
      ]), annotations: .init(readOnlyHint: true)),
    Tool(
      name: "menagerie_import",
      description:
        "Import a Menagerie robot into a project, with an env.py that holds its pose (replaced files stay in the history).",
      inputSchema: object(
        [
          "project": project, "model": string("The robot's name."),
          "entry": string("The entry point (default: its default scene)."),
        ], required: ["project", "model"])),
  ]
}
