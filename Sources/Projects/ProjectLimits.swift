/// The bounds a project store enforces; a request over one gets HTTP 413 with a message that
/// names the limit.
public struct ProjectLimits: Sendable, Equatable {
  /// Largest file written through the API (bytes of UTF-8).
  public var maxFileBytes: Int
  /// Largest file read through the API as text.
  public var maxReadBytes: Int
  /// Largest project (its visible files, history excluded).
  public var maxProjectBytes: Int
  /// Most files in one project.
  public var maxFilesPerProject: Int
  /// Most projects in one session, its trash included (the oldest deleted ones make room).
  public var maxProjectsPerSession: Int
  /// Largest zip upload (compressed bytes).
  public var maxArchiveBytes: Int
  /// Largest ratio of uncompressed to compressed size for one zip entry over 1 MiB.
  public var maxCompressionRatio: Int
  /// Versions kept per file in its history (older ones are dropped).
  public var historyVersionsPerFile: Int
  /// How long a deleted project stays in the trash, in seconds.
  public var trashRetention: Double
  /// The whole projects folder's allowance (`TAU_MAX_DISK_MB`); nil: unbounded but for
  /// `minimumFreeBytes`.
  public var maxServerBytes: Int? = nil
  /// The disk left free whatever the allowance (`TAU_MIN_FREE_DISK_MB`).
  public var minimumFreeBytes = 512 * 1024 * 1024

  public init(
    maxFileBytes: Int = 5 * 1024 * 1024,
    maxReadBytes: Int = 16 * 1024 * 1024,
    maxProjectBytes: Int = 200 * 1024 * 1024,
    maxFilesPerProject: Int = 2000,
    maxProjectsPerSession: Int = 100,
    maxArchiveBytes: Int = 100 * 1024 * 1024,
    maxCompressionRatio: Int = 100,
    historyVersionsPerFile: Int = 50,
    trashRetention: Double = 7 * 24 * 3600
  ) {
    self.maxFileBytes = maxFileBytes
    self.maxReadBytes = maxReadBytes
    self.maxProjectBytes = maxProjectBytes
    self.maxFilesPerProject = maxFilesPerProject
    self.maxProjectsPerSession = maxProjectsPerSession
    self.maxArchiveBytes = maxArchiveBytes
    self.maxCompressionRatio = maxCompressionRatio
    self.historyVersionsPerFile = historyVersionsPerFile
    self.trashRetention = trashRetention
  }

  /// `bytes` in words (`5 MiB`, `300 KiB`, `12 bytes`).
  public static func describe(bytes: Int) -> String {
    if bytes >= 1024 * 1024 {
      if bytes % (1024 * 1024) == 0 { return "\(bytes / (1024 * 1024)) MiB" }
      let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
      return "\(tenths / 10).\(tenths % 10) MiB"
    }
    if bytes >= 1024 && bytes % 1024 == 0 { return "\(bytes / 1024) KiB" }
    return "\(bytes) bytes"
  }
}
