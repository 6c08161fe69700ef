import Foundation
import Projects
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Kills `tau debug-write` (the store's atomic write) at random moments: the file must always
/// hold the old or the new content, whole.
@Suite("Durability")
struct DurabilityTests {
  static let tau = packageRoot.appendingPathComponent(".build/debug/tau")

  /// Whether `content` is `size` copies of one of `bytes`.
  static func isWhole(_ content: Data, size: Int, oneOf bytes: Set<UInt8>) -> Bool {
    guard content.count == size, let first = content.first, bytes.contains(first) else {
      return false
    }
    return content.allSatisfy { $0 == first }
  }

  @Test(
    "a write killed at any moment leaves the old or the new content")
  func killMidWrite() async throws {
    let folder = try makeTemporaryFolder()
    let path = folder.appendingPathComponent("big.bin").path
    let size = 8 * 1024 * 1024
    try AtomicFile.write(Data(repeating: UInt8(ascii: "A"), count: size), toPath: path)
    // 40 kills at random moments, on a thread of their own: the waits must not hold one of
    // the few cooperative threads every other test needs.
    let (torn, changed) = try await onOwnThread { try Self.killWriters(path: path, size: size) }
    #expect(torn.isEmpty, "\(torn)")
    #expect(changed > 0, "no write ever completed; the test proves nothing")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
      .filter { $0 != "big.bin" }
    // Killed writers leave hidden temporary files; they are never listed as project files.
    #expect(leftovers.allSatisfy { $0.hasPrefix(".tau-tmp-") })
  }

  /// Kills 40 writers of `path` mid-write; the rounds that left a torn file, and how many
  /// writes completed.
  static func killWriters(path: String, size: Int) throws -> (torn: [String], changed: Int) {
    var generator = SystemRandomNumberGenerator()
    var changed = 0
    var torn: [String] = []
    for round in 0..<40 {
      let before = try Data(contentsOf: URL(fileURLWithPath: path))
      let old = before.first!
      let new: UInt8 = old == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
      let process = Process()
      process.executableURL = Self.tau
      process.arguments = [
        "debug-write", "--path", path, "--size", String(size), "--byte", String(new),
        "--repeat-count", "3",
      ]
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      usleep(UInt32.random(in: 0...250_000, using: &generator))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let after = try Data(contentsOf: URL(fileURLWithPath: path))
      if !Self.isWhole(after, size: size, oneOf: [old, new]) {
        torn.append("round \(round): \(after.count) bytes, not one whole version")
      }
      if after.first != old { changed += 1 }
    }
    return (torn, changed)
  }

  @Test("a write replaces a symlink instead of writing through it")
  func writeReplacesLink() throws {
    let folder = try makeTemporaryFolder()
    let target = folder.appendingPathComponent("target.txt")
    try "keep".write(to: target, atomically: true, encoding: .utf8)
    let link = folder.appendingPathComponent("link.txt")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
    try AtomicFile.write(Data("new".utf8), toPath: link.path)
    #expect(try String(contentsOf: target, encoding: .utf8) == "keep")
    #expect(try String(contentsOf: link, encoding: .utf8) == "new")
  }
}
