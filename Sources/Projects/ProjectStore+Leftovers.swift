import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a kill in the middle of a write leaves behind: `.tau-tmp-*` files (an `AtomicFile`
/// that was never renamed) and folders (a project being built). Nothing else ever has the
/// name, and nothing lists it; this takes it away, with the assistant's check copies.
extension ProjectStore {
  /// Removes every leftover below the projects folder (no link followed, 32 folders deep
  /// at most) and returns how many there were.
  @discardableResult
  public func removeLeftovers() -> Int {
    guard let rootDir = try? DirectoryHandle.open(root: root.path) else { return 0 }
    var removed = 0
    // Check copies of a server that stopped mid-check.
    if (try? rootDir.status(of: ProjectLayout.scratchFolder)) != nil {
      rootDir.removeTree(ProjectLayout.scratchFolder)
      removed += 1
    }
    removeLeftovers(in: rootDir, depth: 0, removed: &removed)
    if removed > 0 { logger.info("removed \(removed) leftovers of interrupted writes") }
    return removed
  }

  private func removeLeftovers(in folder: DirectoryHandle, depth: Int, removed: inout Int) {
    for name in (try? folder.entries()) ?? [] {
      if name.hasPrefix(AtomicFile.temporaryPrefix) {
        folder.removeTree(name)
        removed += 1
      } else if depth < Self.maximumWalkDepth, let info = try? folder.status(of: name),
        Self.isDirectory(info), let child = try? folder.child(name, create: false)
      {
        removeLeftovers(in: child, depth: depth + 1, removed: &removed)
      }
    }
  }
}
