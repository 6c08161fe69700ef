import Foundation

/// A project's entry env and its scene, read from its files as the env contract says: the
/// entry is `env.py`, else the first `*_env.py`; the scene is the entry's `xml_path` when it
/// names a file of the project, else `scene.xml`.
public enum ProjectEntry {
  public static func entry(in files: [(path: String, data: Data)]) -> String? {
    let names = files.map(\.path)
    if names.contains("env.py") { return "env.py" }
    return names.filter { !$0.contains("/") && $0.hasSuffix("_env.py") }.sorted().first
  }

  public static func scene(in files: [(path: String, data: Data)]) -> String? {
    if let entry = entry(in: files),
      let data = files.first(where: { $0.path == entry })?.data,
      let text = String(data: data, encoding: .utf8),
      let match = text.firstMatch(of: /xml_path\s*=\s*["']([^"']+)["']/)
    {
      let path = String(match.1)
      if files.contains(where: { $0.path == path }) { return path }
    }
    return files.contains { $0.path == "scene.xml" } ? "scene.xml" : nil
  }
}
