import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a project holds on disk, everything its code or its user put there counted: hidden
/// files, `__pycache__` and folders deeper than the API reaches too; only tau's own `.tau` and
/// `.name` are left out (history and runs have bounds of their own). The quota is checked
/// against this, not against the listing, so nothing the listing does not show escapes it.
public struct ProjectUsage: Sendable, Equatable {
  /// Bytes of regular files (their sizes).
  public var bytes = 0
  /// Regular files.
  public var files = 0
  /// A folder at `maximumDepth` holds a folder: what is below is not counted, so the project
  /// counts as over its quota.
  public var tooDeep = false
  /// The walk stopped after `entryBudget` entries: there may be more than it counted.
  public var truncated = false

  public init() {}

  /// How deep the measure reads: far below what the API reaches (`SafePath.maxFolderDepth`),
  /// since the project's own code may nest folders anywhere, and what it nests there counts;
  /// each level holds a descriptor while the walk is below it.
  public static let maximumDepth = 256
  /// tau's own files in a project, which its quota leaves out.
  static let ownNames: Set<String> = [ProjectLayout.metaFolder, ProjectLayout.nameFile]

  /// Measures the project at `folder` (trusted: the store's own path to it). Links are not
  /// followed, and nothing is read but folder entries and file sizes.
  public static func measure(project folder: URL, limits: ProjectLimits) throws -> ProjectUsage {
    try measure(DirectoryHandle.open(root: folder.standardizedFileURL.path), limits: limits)
  }

  static func measure(_ project: DirectoryHandle, limits: ProjectLimits) -> ProjectUsage {
    measure(project, entryBudget: limits.maxFilesPerProject * 4, skipping: ownNames)
  }

  /// Everything below `folder`, to `maximumDepth` levels and `entryBudget` entries, but the
  /// top-level names in `skipped`.
  static func measure(_ folder: DirectoryHandle, entryBudget: Int, skipping skipped: Set<String>)
    -> ProjectUsage
  {
    var usage = ProjectUsage()
    var budget = entryBudget
    usage.add(folder, depth: 0, budget: &budget, skipping: skipped)
    usage.truncated = budget <= 0
    return usage
  }

  private mutating func add(
    _ folder: DirectoryHandle, depth: Int, budget: inout Int, skipping skipped: Set<String> = []
  ) {
    for name in (try? folder.entries()) ?? [] where !skipped.contains(name) {
      guard budget > 0 else { return }
      budget -= 1
      guard let info = try? folder.status(of: name) else { continue }
      if ProjectStore.isRegularFile(info) {
        files += 1
        bytes += Int(info.st_size)
      } else if ProjectStore.isDirectory(info) {
        guard depth < Self.maximumDepth else {
          tooDeep = true
          continue
        }
        guard let child = try? folder.child(name, create: false) else { continue }
        add(child, depth: depth + 1, budget: &budget)
      }
    }
  }

  /// What the project is over, in words, or nil when it is within `limits`.
  public func violation(of limits: ProjectLimits) -> String? {
    if tooDeep {
      return "it nests folders deeper than \(Self.maximumDepth) levels, which are not counted"
    }
    if truncated {
      return "it holds more than \(limits.maxFilesPerProject * 4) entries"
    }
    if bytes > limits.maxProjectBytes {
      return "it holds \(ProjectLimits.describe(bytes: bytes)), over the "
        + "\(ProjectLimits.describe(bytes: limits.maxProjectBytes)) project size limit"
    }
    if files > limits.maxFilesPerProject {
      return "it holds \(files) files, over the limit of \(limits.maxFilesPerProject) per project"
    }
    return nil
  }
}
