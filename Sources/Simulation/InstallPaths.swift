import Foundation

/// Where tau-sim's own files are: the running executable, and the folder
/// holding `python/`, `.venv/` and `web/`, found by walking up from the
/// executable (a SwiftPM build sits in `<package>/.build/...`), then from the
/// working folder; `TAU_HOME` overrides both.
public enum InstallPaths {
  /// The running executable, resolved (workers are started from it).
  public static var executable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
  }

  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> URL?
  {
    if let home = environment["TAU_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
    let starts = [
      URL(fileURLWithPath: executable).deletingLastPathComponent(),
      URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    ]
    for start in starts {
      var folder = start.standardizedFileURL
      while true {
        let marker = folder.appendingPathComponent("python/tau_env_worker.py")
        if FileManager.default.fileExists(atPath: marker.path) { return folder }
        let parent = folder.deletingLastPathComponent()
        if parent.path == folder.path { break }
        folder = parent
      }
    }
    return nil
  }
}
