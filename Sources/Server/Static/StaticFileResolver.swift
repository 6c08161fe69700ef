import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps a request path below a URL prefix to a regular file inside a set of allowed folders.
///
/// Each segment is percent-decoded and checked (no `.`/`..`, empty, hidden, backslash or control
/// characters); the joined path is then resolved with `realpath`, and the real path must lie
/// inside one of `roots` (themselves resolved). Symlinks are therefore followed only when they
/// stay inside the roots, as Debian's `/usr/share/javascript` links into `/usr/share/nodejs`.
struct StaticFileResolver: Sendable {
  /// Folders tried in order for a relative path.
  let bases: [String]
  /// Real paths a served file must lie inside.
  let roots: [String]

  init(bases: [URL], roots: [URL]) {
    self.bases = bases.map(\.path)
    self.roots = roots.compactMap { Self.realPath($0.path) }
  }

  enum Failure: Error {
    /// A path that could not be ours (400).
    case invalid
    /// Nothing there, or outside the roots (404).
    case notFound
  }

  /// The real path of the file for `segments` (still percent-encoded unless `decoded`).
  func resolve(_ rawSegments: [Substring], decoded: Bool = false) throws -> String {
    var segments: [String] = []
    for raw in rawSegments {
      guard let segment = decoded ? String(raw) : String(raw).removingPercentEncoding else {
        throw Failure.invalid
      }
      guard !segment.isEmpty, segment != ".", segment != "..", !segment.hasPrefix("."),
        !segment.contains("/"), !segment.contains("\\"),
        !segment.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
      else { throw Failure.invalid }
      segments.append(segment)
    }
    guard !segments.isEmpty else { throw Failure.notFound }
    let relative = segments.joined(separator: "/")
    for base in bases {
      guard let real = Self.realPath(base + "/" + relative) else { continue }
      guard roots.contains(where: { real.hasPrefix($0 + "/") }) else { continue }
      var info = stat()
      guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
      return real
    }
    throw Failure.notFound
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
