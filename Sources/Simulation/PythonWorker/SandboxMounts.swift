import Foundation

/// What a sandboxed python worker sees of the host, as bubblewrap arguments: the system's
/// programs and libraries, the Python installation the venv was made from, tau-sim's
/// `python/` and `.venv/`, and a few loader files of `/etc`. Nothing else of the host (not
/// the server's home, its configuration, other users' files or the rest of `/etc`) exists
/// inside.
public struct SandboxMounts: Sendable {
  /// tau-sim's folder; only its `python/` and `.venv/` are shown.
  var installRoot: URL
  /// The venv's interpreter, whose real installation is shown too (pyenv's lives in a home).
  var python: String

  /// The system folders a program needs to start. A merged-/usr link (Debian's `/lib` →
  /// `usr/lib`) is recreated as a link; a real folder is bound read-only.
  static let systemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]
  /// What the dynamic loader and Python's standard library read from `/etc`.
  static let etcFiles = [
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
    "/etc/alternatives", "/etc/nsswitch.conf", "/etc/mime.types",
  ]

  /// bubblewrap, when installed.
  public static let bubblewrap = ["/usr/bin/bwrap", "/bin/bwrap"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// What every sandbox holds of the system: `/usr`, its merged-/usr links, the loader's
  /// files of `/etc`; and private `/dev`, `/proc` and `/tmp`. New namespaces for everything
  /// but the user, and the network cut.
  public static var system: [String] {
    var arguments = [
      "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc",
      "--unshare-uts", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
    ]
    for folder in systemFolders {
      arguments += mount(folder)
    }
    for file in etcFiles where FileManager.default.fileExists(atPath: file) {
      arguments += ["--ro-bind", file, file]
    }
    return arguments
  }

  /// `paths` bound read-only at the same place, those outside `/usr` (which `system` holds).
  public static func readOnly(_ paths: [String]) -> [String] {
    var seen = Set<String>()
    return paths.filter { !$0.hasPrefix("/usr/") && seen.insert($0).inserted }.flatMap {
      ["--ro-bind", $0, $0]
    }
  }

  /// The projects folder as an empty tmpfs, with only `project` bound (read-write or not).
  public static func onlyProject(_ project: String, of projectsRoot: String, writable: Bool)
    -> [String]
  {
    ["--tmpfs", projectsRoot, writable ? "--bind" : "--ro-bind", project, project]
  }

  /// The python worker's view: the system, the Python installation, tau-sim's python code.
  var arguments: [String] {
    var arguments: [String] = []
    if let prefix = pythonPrefix, !prefix.hasPrefix("/usr/") {
      arguments += ["--ro-bind", prefix, prefix]
    }
    for name in ["python", ".venv"] {
      let path = installRoot.appendingPathComponent(name).standardizedFileURL.path
      arguments += ["--ro-bind", path, path]
    }
    return arguments
  }

  /// The installation the venv's interpreter belongs to: the folder above its real `bin/`.
  var pythonPrefix: String? {
    guard let real = Self.realPath(python) else { return nil }
    let binary = URL(fileURLWithPath: real)
    return binary.deletingLastPathComponent().deletingLastPathComponent().path
  }

  /// `path` with every link resolved, or nil when it does not exist.
  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  private static func mount(_ folder: String) -> [String] {
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: folder) {
      return ["--symlink", target, folder]
    }
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue
    else { return [] }
    return ["--ro-bind", folder, folder]
  }
}
