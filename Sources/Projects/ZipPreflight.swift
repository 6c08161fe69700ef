import Foundation

/// Reads an uploaded zip's own records before ZIPFoundation does, and refuses what it must not
/// see: ZIP64 records (64-bit sizes and offsets, which ZIPFoundation turns into traps that
/// would take the whole server down) and offsets or sizes that point past the upload.
///
/// A project is far below 4 GiB, so nothing legitimate needs ZIP64; every 32-bit field is
/// checked against the upload's length, so what ZIPFoundation reads next stays in bounds.
enum ZipPreflight {
  static let endOfCentralDirectory: UInt32 = 0x0605_4b50
  static let zip64Locator: UInt32 = 0x0706_4b50
  static let centralHeader: UInt32 = 0x0201_4b50
  static let localHeader: UInt32 = 0x0403_4b50

  static func check(_ data: Data) throws {
    let bytes = [UInt8](data)
    guard let end = findEnd(bytes) else {
      throw ProjectError.invalidArchive("the upload is not a readable zip file")
    }
    if end >= 20, read32(bytes, end - 20) == zip64Locator {
      throw zip64()
    }
    let entries = Int(read16(bytes, end + 10))
    let directorySize = Int(read32(bytes, end + 12))
    let directoryOffset = Int(read32(bytes, end + 16))
    guard read16(bytes, end + 4) == 0, read16(bytes, end + 6) == 0 else {
      throw ProjectError.invalidArchive("archives split over several disks are not accepted")
    }
    guard entries != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
      throw zip64()
    }
    guard directoryOffset + directorySize <= end else { throw damaged() }
    var offset = directoryOffset
    for _ in 0..<entries {
      guard offset + 46 <= end, read32(bytes, offset) == centralHeader else { throw damaged() }
      let compressed = read32(bytes, offset + 20)
      let uncompressed = read32(bytes, offset + 24)
      let local = Int(read32(bytes, offset + 42))
      guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF,
        read16(bytes, offset + 34) != 0xFFFF
      else { throw zip64() }
      guard Int(compressed) <= bytes.count else { throw damaged() }
      try checkLocalHeader(bytes, at: local, before: directoryOffset)
      let variable =
        Int(read16(bytes, offset + 28)) + Int(read16(bytes, offset + 30))
        + Int(read16(bytes, offset + 32))
      offset += 46 + variable
    }
  }

  private static func checkLocalHeader(_ bytes: [UInt8], at offset: Int, before limit: Int)
    throws
  {
    guard offset + 30 <= limit, read32(bytes, offset) == localHeader else { throw damaged() }
    guard read32(bytes, offset + 18) != 0xFFFF_FFFF, read32(bytes, offset + 22) != 0xFFFF_FFFF
    else { throw zip64() }
  }

  /// The end-of-central-directory record: in the last 22 bytes plus a comment of up to 64 KiB.
  private static func findEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 22 else { return nil }
    let lowest = max(0, bytes.count - 22 - 0xFFFF)
    var offset = bytes.count - 22
    while offset >= lowest {
      if read32(bytes, offset) == endOfCentralDirectory { return offset }
      offset -= 1
    }
    return nil
  }

  private static func zip64() -> ProjectError {
    .invalidArchive("ZIP64 archives are not accepted (a project is far smaller than 4 GiB)")
  }

  private static func damaged() -> ProjectError {
    .invalidArchive("the zip file is damaged: its records point outside the upload")
  }

  private static func read16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
    UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
  }

  private static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    UInt32(read16(bytes, offset)) | UInt32(read16(bytes, offset + 2)) << 16
  }
}
