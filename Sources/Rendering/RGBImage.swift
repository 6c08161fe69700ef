import Foundation

/// Packed RGB8 pixels as MuJoCo reads them: rows bottom first.
public struct RGBImage: Sendable {
  public var width: Int
  public var height: Int
  public var pixels: [UInt8]

  public init(width: Int, height: Int, pixels: [UInt8]) {
    self.width = width
    self.height = height
    self.pixels = pixels
  }

  /// The pixel at (x, y) with y counted from the top, as images are viewed.
  public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
    let row = height - 1 - y
    let offset = (row * width + x) * 3
    return (pixels[offset], pixels[offset + 1], pixels[offset + 2])
  }
}
