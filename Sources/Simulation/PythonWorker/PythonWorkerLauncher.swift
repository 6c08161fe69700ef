import Foundation
import Projects
import Workers

/// How python workers are started: `.venv`'s Python running
/// `python/tau_env_worker.py`, with a clean environment; in a sandbox,
/// under bubblewrap with the network cut and only the episode's project
/// visible of all the projects, and of the host only what Python needs (`SandboxMounts`).
public struct PythonWorkerLauncher: Sendable {
  public var python: String
  public var script: String
  /// The projects folder, hidden from sandboxed workers (but for their own project).
  public var projectsRoot: URL
  /// bubblewrap, when installed.
  public var bubblewrap: String?
  /// tau-sim's own folder (python/ and .venv/), visible read-only to sandboxed workers.
  public var installRoot: URL

  public init(installRoot: URL, projectsRoot: URL) {
    self.installRoot = installRoot
    python = installRoot.appendingPathComponent(".venv/bin/python").path
    script = installRoot.appendingPathComponent("python/tau_env_worker.py").path
    self.projectsRoot = projectsRoot
    bubblewrap = SandboxMounts.bubblewrap
  }

  /// The whole environment of a worker: no API keys, no server secrets.
  static func environment(home: String) -> [String: String] {
    [
      "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8",
      "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "OPENBLAS_NUM_THREADS": "1",
      "OMP_NUM_THREADS": "1",
    ]
  }

  /// A worker waiting for any project (the warm pool): not sandboxed, but in a pid namespace
  /// of its own when bubblewrap is there, so that nothing it starts outlives it: when the
  /// worker exits or is killed, every process of the namespace goes too, one that called
  /// `setsid` included (a kill of the process group would miss it).
  public func warmCommand() -> WorkerCommand {
    let worker = [python, "-s", "-B", script]
    guard let bubblewrap else {
      return WorkerCommand(
        executable: python, arguments: Array(worker.dropFirst()),
        environment: Self.environment(home: "/tmp"), workingDirectory: "/")
    }
    return WorkerCommand(
      executable: bubblewrap,
      arguments: [
        "--die-with-parent", "--unshare-pid", "--dev-bind", "/", "/", "--proc", "/proc", "--",
      ] + worker,
      environment: Self.environment(home: "/tmp"), workingDirectory: "/")
  }

  /// A worker for one project under bubblewrap, or nil when bubblewrap is missing.
  public func sandboxedCommand(project: URL) -> WorkerCommand? {
    guard let bubblewrap else { return nil }
    let projectPath = project.standardizedFileURL.path
    let mounts = SandboxMounts(installRoot: installRoot, python: python)
    var arguments = SandboxMounts.system + mounts.arguments
    // Only this project of all the projects: the folders above it exist, empty.
    arguments += SandboxMounts.onlyProject(
      projectPath, of: projectsRoot.standardizedFileURL.path, writable: true)
    // The project's `.tau` (its history and runs, written by the server) is read-only inside,
    // so the project's code can neither rewrite them nor plant a link the server would follow.
    if let meta = ProjectLayout.preparedMetaFolder(of: project) {
      arguments += ["--ro-bind", meta, meta]
    }
    arguments += ["--chdir", projectPath, "--", python, "-s", "-B", script]
    return WorkerCommand(
      executable: bubblewrap, arguments: arguments,
      environment: Self.environment(home: projectPath), workingDirectory: "/")
  }
}
