#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a file was when a model was compiled from it (size, modification time, inode), to
/// tell later whether it changed: an edited include or mesh must not leave a stale model in
/// the tau worker's `ModelCache` or a stale document in the server's `SceneCache`. A missing
/// file has a stamp too, so one that appears later counts as a change.
public struct FileStamp: Hashable, Sendable {
  public let path: String
  let size: Int
  let modifiedSeconds: Int
  let modifiedNanoseconds: Int
  let inode: UInt

  /// The file as it is now (links followed, as MuJoCo reads it).
  public init(path: String) {
    self.path = path
    var info = stat()
    guard stat(path, &info) == 0 else {
      (size, modifiedSeconds, modifiedNanoseconds, inode) = (-1, 0, 0, 0)
      return
    }
    size = Int(info.st_size)
    modifiedSeconds = Int(info.st_mtim.tv_sec)
    modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    inode = UInt(info.st_ino)
  }

  /// Whether the file is still as stamped.
  public var isCurrent: Bool { FileStamp(path: path) == self }
}
