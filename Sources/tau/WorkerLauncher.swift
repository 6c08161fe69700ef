import Foundation
import Rendering
import Simulation
import Workers

/// Starts tau workers from this very executable (`tau worker`), with a
/// clean environment: nothing of the caller's secrets reaches a worker.
enum WorkerLauncher {
  /// The environment a tau worker gets: enough to find GL drivers, no more.
  static func workerEnvironment() -> [String: String] {
    let inherited = ProcessInfo.processInfo.environment
    var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
    for key in [
      "TAU_EGL_SURFACELESS", "LIBGL_ALWAYS_SOFTWARE", "GALLIUM_DRIVER", "LP_NUM_THREADS",
      "__EGL_VENDOR_LIBRARY_FILENAMES", "__GLX_VENDOR_LIBRARY_NAME", "LD_LIBRARY_PATH",
      "CUDA_VISIBLE_DEVICES", "EGL_DEVICE_ID",
    ] {
      if let value = inherited[key] { environment[key] = value }
    }
    return environment
  }

  /// `warmGL`: the worker makes its GL context before it says hello (the server's render
  /// pool, whose warm workers then hold one before the first frame is asked for).
  /// `memoryLimitMB`: the worker's address-space limit, when it has one.
  static func command(platform: GLPlatform, warmGL: Bool = false, memoryLimitMB: Int? = nil)
    -> WorkerCommand
  {
    var arguments = ["worker", "--mujoco-gl", platform.rawValue]
    if warmGL { arguments.append("--warm-gl") }
    if let memoryLimitMB { arguments += ["--memory-limit-mb", String(memoryLimitMB)] }
    return WorkerCommand(
      executable: InstallPaths.executable, arguments: arguments, environment: workerEnvironment())
  }

  /// A pool of tau workers for `platform`.
  static func pool(
    platform: GLPlatform, maximumWorkers: Int = 2, warmGL: Bool = false,
    memoryLimitMB: Int? = nil
  ) -> WorkerPool {
    WorkerPool(
      command: command(platform: platform, warmGL: warmGL, memoryLimitMB: memoryLimitMB),
      maximumWorkers: maximumWorkers)
  }

  /// The render workers' memory limit: `TAU_RENDER_MEM_LIMIT_MB` (0 for none), else 4096 MB
  /// in multi-user mode with OSMesa. EGL drivers reserve large address ranges for the GPU, so
  /// an EGL worker is limited only when asked.
  static func renderMemoryLimitMB(
    environment: [String: String], multiUser: Bool, platform: GLPlatform
  ) -> Int? {
    if let value = environment["TAU_RENDER_MEM_LIMIT_MB"].flatMap(Int.init) {
      return value > 0 ? value : nil
    }
    return multiUser && platform == .osmesa ? 4096 : nil
  }

  /// Render workers of one project each, in their sandboxes (`RenderWorkerSandbox`).
  static func projectPools(
    bubblewrap: String, platform: GLPlatform, projectsRoot: URL, installRoot: URL,
    memoryLimitMB: Int?, maximumIdle: Int
  ) -> ProjectWorkerPools {
    let worker = command(platform: platform, warmGL: true, memoryLimitMB: memoryLimitMB)
    let sandbox = RenderWorkerSandbox(
      bubblewrap: bubblewrap, executable: worker.executable, installRoot: installRoot,
      projectsRoot: projectsRoot, gpu: platform == .egl)
    return ProjectWorkerPools(maximumIdle: maximumIdle) { project in
      sandbox.command(worker, project: project)
    }
  }
}
