/// A project-relative file path that cannot leave its project.
///
/// Built only through `init(_:)`, which refuses absolute paths, `..` and `.` segments,
/// backslashes, NUL and other control characters, empty segments, hidden names (a leading dot:
/// `.name`, the `.tau` history folder) and `__pycache__`. The segments are then opened one by
/// one without following symlinks (`DirectoryHandle`), so a path that passes here still cannot
/// reach outside the project through a link planted on disk.
public struct SafePath: Hashable, Sendable, CustomStringConvertible {
  /// Longest accepted path, in UTF-8 bytes.
  public static let maxLength = 1024
  /// Longest accepted segment, in UTF-8 bytes (leaves room under the 255-byte file-name limit for history folder suffixes).
  public static let maxSegmentLength = 200
  /// Folders a path may go down: as deep as a project's walk reads (and counts), so no file
  /// can hide below the size and file-count limits.
  public static let maxFolderDepth = 32

  /// The segments, in order; never empty.
  public let segments: [String]

  /// The path as the user wrote it, segments joined with `/`.
  public var description: String { segments.joined(separator: "/") }

  /// The folder segments (all but the last).
  public var directory: [String] { Array(segments.dropLast()) }

  /// The file name (the last segment).
  public var fileName: String { segments[segments.count - 1] }

  /// Validates `raw`; throws `ProjectError.invalidPath` saying what is wrong.
  /// Unicode's bidirectional formatting characters (embeddings, overrides, isolates, marks).
  static let bidirectionalControls: Set<UInt32> = [
    0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
  ]

  public init(_ raw: String) throws {
    guard !raw.isEmpty else { throw ProjectError.invalidPath("the path is empty") }
    guard raw.utf8.count <= Self.maxLength else {
      throw ProjectError.invalidPath("the path is longer than \(Self.maxLength) bytes")
    }
    if raw.hasPrefix("/") {
      throw ProjectError.invalidPath(
        "\(raw.debugDescription) is absolute; use a project-relative path")
    }
    if raw.contains("\\") {
      throw ProjectError.invalidPath("\(raw.debugDescription) contains a backslash")
    }
    if raw.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      throw ProjectError.invalidPath("\(raw.debugDescription) contains a control character")
    }
    // Bidirectional controls make a name read as another (`evil\u{202E}yp.txt` shows as
    // `eviltxt.py`).
    if raw.unicodeScalars.contains(where: { Self.bidirectionalControls.contains($0.value) }) {
      throw ProjectError.invalidPath(
        "\(raw.debugDescription) contains a bidirectional control character")
    }
    let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard parts.count - 1 <= Self.maxFolderDepth else {
      throw ProjectError.invalidPath(
        "the path goes \(parts.count - 1) folders deep; at most \(Self.maxFolderDepth) are allowed")
    }
    for part in parts {
      try Self.check(segment: part, in: raw)
    }
    segments = parts
  }

  /// Builds a path from segments that were already checked (used when walking a project).
  init(checkedSegments: [String]) {
    precondition(!checkedSegments.isEmpty)
    segments = checkedSegments
  }

  /// Whether a file or folder name is listed and reachable as a project file.
  public static func isVisible(name: String) -> Bool {
    !name.hasPrefix(".") && name != "__pycache__"
  }

  private static func check(segment: String, in raw: String) throws {
    if segment.isEmpty {
      throw ProjectError.invalidPath("\(raw.debugDescription) has an empty segment")
    }
    if segment == "." || segment == ".." {
      throw ProjectError.invalidPath("\(raw.debugDescription) leaves the project or uses '.'")
    }
    if segment.utf8.count > maxSegmentLength {
      throw ProjectError.invalidPath("a name in \(raw.debugDescription) is too long")
    }
    if !isVisible(name: segment) {
      throw ProjectError.invalidPath(
        "\(raw.debugDescription) names a hidden or reserved file (leading '.' or __pycache__)")
    }
  }
}
