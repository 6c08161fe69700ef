import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The disk the whole projects folder may use: at most `maxBytes` (all sessions, their
/// history, runs and trash), and never the file system's last `minimumFreeBytes`. A write
/// past either is refused with `storageFull` (507), whoever asks, so no session can fill the
/// server's disk.
///
/// Measuring every session's files is slow, so the figure is measured at most every
/// `remeasureAfter` and grown by what the store writes meanwhile (user code's writes are
/// seen at the next measure; each project's quota bounds them).
public final class DiskAllowance: Sendable {
  public let maxBytes: Int?
  public let minimumFreeBytes: Int
  let root: URL
  let remeasureAfter: Duration
  private let figure = Mutex<(bytes: Int, at: ContinuousClock.Instant)?>(nil)

  public init(
    root: URL, maxBytes: Int?, minimumFreeBytes: Int, remeasureAfter: Duration = .seconds(30)
  ) {
    self.root = root
    self.maxBytes = maxBytes
    self.minimumFreeBytes = minimumFreeBytes
    self.remeasureAfter = remeasureAfter
  }

  /// Throws `storageFull` when writing `bytes` more would pass the allowance.
  func check(adding bytes: Int) throws {
    if let free = freeBytes(), free - bytes < minimumFreeBytes {
      throw ProjectError.storageFull(
        "the server's disk is nearly full (\(ProjectLimits.describe(bytes: max(0, free))) free); "
          + "nothing more can be saved until room is made")
    }
    guard let maxBytes else { return }
    let used = usedBytes()
    if used + bytes > maxBytes {
      throw ProjectError.storageFull(
        "the server's projects use \(ProjectLimits.describe(bytes: used)) of their "
          + "\(ProjectLimits.describe(bytes: maxBytes)) allowance; nothing more can be saved "
          + "until room is made")
    }
  }

  /// Counts `bytes` the store just wrote.
  func wrote(_ bytes: Int) {
    figure.withLock { figure in
      if let current = figure { figure = (current.bytes + bytes, current.at) }
    }
  }

  /// The projects folder's size: the last measure, or a new one when it is old.
  func usedBytes() -> Int {
    let now = ContinuousClock.now
    if let current = figure.withLock({ $0 }), now - current.at < remeasureAfter {
      return current.bytes
    }
    let measured =
      (try? DirectoryHandle.open(root: root.path)).map {
        ProjectUsage.measure($0, entryBudget: 10_000_000, skipping: []).bytes
      } ?? 0
    figure.withLock { $0 = (measured, now) }
    return measured
  }

  /// Free bytes of the projects folder's file system, for an unprivileged user.
  func freeBytes() -> Int? {
    var info = statvfs()
    guard statvfs(root.path, &info) == 0 else { return nil }
    return Int(clamping: UInt64(info.f_bavail) &* UInt64(info.f_frsize))
  }
}
