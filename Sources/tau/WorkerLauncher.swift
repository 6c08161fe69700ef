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
  static func command(platform: GLPlatform, warmGL: Bool = false) -> WorkerCommand {
    WorkerCommand(
      executable: InstallPaths.executable,
      arguments: ["worker", "--mujoco-gl", platform.rawValue] + (warmGL ? ["--warm-gl"] : []),
      environment: workerEnvironment())
  }

  /// A pool of tau workers for `platform`.
  static func pool(
    platform: GLPlatform, maximumWorkers: Int = 2, warmGL: Bool = false
  ) -> WorkerPool {
    WorkerPool(
      command: command(platform: platform, warmGL: warmGL), maximumWorkers: maximumWorkers)
  }
}
