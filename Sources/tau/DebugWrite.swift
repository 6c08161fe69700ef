import ArgumentParser
import Foundation
import Projects

/// `tau debug-write --path P --size N --byte B`: writes N copies of byte B to P with the
/// project store's atomic write. Hidden; the durability test kills it mid-write and checks
/// that P always holds the old or the new content.
struct DebugWrite: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug-write",
    abstract: "Atomically write N copies of one byte to a file (for durability tests).",
    shouldDisplay: false)

  @Option(help: "The file to write.")
  var path: String

  @Option(help: "How many bytes to write.")
  var size: Int

  @Option(help: "The byte to repeat: a number 0-255 or one ASCII character.")
  var byte: String

  @Option(help: "How many times to write the file in a row.")
  var repeatCount: Int = 1

  func validate() throws {
    guard size >= 0 else { throw ValidationError("--size must not be negative") }
    guard parsedByte != nil else {
      throw ValidationError("--byte takes a number 0-255 or one ASCII character")
    }
  }

  private var parsedByte: UInt8? {
    if let number = UInt8(byte) { return number }
    if byte.utf8.count == 1 { return byte.utf8.first }
    return nil
  }

  func run() throws {
    let data = Data(repeating: parsedByte!, count: size)
    for _ in 0..<max(1, repeatCount) {
      try AtomicFile.write(data, toPath: path)
    }
    print("ok")
  }
}
