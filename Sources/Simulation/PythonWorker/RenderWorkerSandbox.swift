import Foundation
import Workers

/// The sandbox of a render worker that serves one project (hosted servers): it sees the
/// system, its own executable and libraries, and that project read-only, nothing else, and
/// has no network. With a GPU (EGL), the GPU's devices and `/sys` (which drivers enumerate)
/// are shown too.
public struct RenderWorkerSandbox: Sendable {
  public var bubblewrap: String
  /// tau-sim's folder, whose `.mujoco/` holds the link to libmujoco the executable names.
  public var installRoot: URL
  public var projectsRoot: URL
  public var gpu: Bool
  /// The executable's library folders, found once (`libraryFolders(of:)`).
  private let libraries: [String]

  /// `executable`: the `tau` its workers run.
  public init(
    bubblewrap: String, executable: String, installRoot: URL, projectsRoot: URL, gpu: Bool
  ) {
    self.bubblewrap = bubblewrap
    self.installRoot = installRoot
    self.projectsRoot = projectsRoot
    self.gpu = gpu
    libraries = Self.libraryFolders(of: executable)
  }

  static let gpuDevices = [
    "/dev/dri", "/dev/nvidiactl", "/dev/nvidia0", "/dev/nvidia-uvm", "/dev/nvidia-modeset",
  ]

  /// `worker` (a plain `tau worker` command) run in the sandbox of `project`.
  public func command(_ worker: WorkerCommand, project: String) -> WorkerCommand {
    let executable = SandboxMounts.realPath(worker.executable) ?? worker.executable
    var arguments =
      SandboxMounts.system
      + SandboxMounts.readOnly(
        [executable, installRoot.appendingPathComponent(".mujoco").standardizedFileURL.path]
          + libraries)
    if gpu {
      for device in Self.gpuDevices { arguments += ["--dev-bind-try", device, device] }
      arguments += ["--ro-bind-try", "/sys", "/sys"]
    }
    arguments += SandboxMounts.onlyProject(
      project, of: projectsRoot.standardizedFileURL.path, writable: false)
    arguments += ["--chdir", "/tmp", "--", executable] + worker.arguments
    return WorkerCommand(
      executable: bubblewrap, arguments: arguments, environment: worker.environment)
  }

  /// The folders the dynamic loader finds `executable`'s libraries in (`ldd`, which runs
  /// only the loader), as found and as resolved, those outside `/usr`: the Swift runtime,
  /// the link to MuJoCo's library and its target.
  static func libraryFolders(of executable: String) -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
    process.arguments = [executable]
    process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return [] }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var folders = Set<String>()
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
      guard let arrow = line.range(of: "=> /") else { continue }
      let path = String(line[line.index(before: arrow.upperBound)...]).split(separator: " ")[0]
      for found in [String(path), SandboxMounts.realPath(String(path)) ?? String(path)] {
        let folder = (found as NSString).deletingLastPathComponent
        if !folder.hasPrefix("/usr/") { folders.insert(folder) }
      }
    }
    return folders.sorted()
  }
}
