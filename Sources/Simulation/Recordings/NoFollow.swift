import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Checks that look at a path itself, never through a symbolic link.
///
/// The server keeps its own files (run recordings) inside projects, where the project's code may
/// have planted a link; following one would make the server read, write or prune elsewhere.
enum NoFollow {
  /// Whether `url` is a folder itself, not a link to one.
  static func isDirectory(_ url: URL) -> Bool { kind(url) == S_IFDIR }

  /// Whether `url` is a plain file itself, not a link to one.
  static func isRegularFile(_ url: URL) -> Bool { kind(url) == S_IFREG }

  /// Makes `url` a folder when nothing is there; true when a folder (not a link) is there now.
  static func makeDirectory(_ url: URL) -> Bool {
    // mkdir never follows a link in the last place, so a planted one makes it fail.
    if mkdir(url.path, 0o755) == 0 { return true }
    return isDirectory(url)
  }

  private static func kind(_ url: URL) -> mode_t? {
    var info = stat()
    guard lstat(url.path, &info) == 0 else { return nil }
    return info.st_mode & S_IFMT
  }
}
