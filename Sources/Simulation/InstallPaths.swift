import Foundation

/// Where tau-sim's own files are: the folder holding `python/` and `.venv/`,
/// found from the running executable (or `TAU_HOME`).
public enum InstallPaths {
  public static func root(environment: [String: String] = ProcessInfo.processInfo.environment)
    -> URL?
  {
    if let home = environment["TAU_HOME"] { return URL(fileURLWithPath: home) }
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: executable).deletingLastPathComponent()
    while url.path != "/" {
      if FileManager.default.fileExists(
        atPath: url.appendingPathComponent("python/tau_env_worker.py").path)
      {
        return url
      }
      url.deleteLastPathComponent()
    }
    return nil
  }
}
