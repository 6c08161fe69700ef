import CImageCodecs
import Foundation
import MuJoCo

/// JPEG and PNG encoding of rendered images, flipping MuJoCo's bottom-up
/// rows as part of the encode.
public enum ImageEncoder {
  public static func jpeg(_ image: RGBImage, quality: Int) throws -> Data {
    try encode(image) { rgb, out, size, error in
      tau_jpeg_encode(
        rgb, Int32(image.width), Int32(image.height), Int32(min(max(quality, 1), 100)), 1,
        out, size, error, 512)
    }
  }

  public static func png(_ image: RGBImage) throws -> Data {
    try encode(image) { rgb, out, size, error in
      tau_png_encode(rgb, Int32(image.width), Int32(image.height), 1, out, size, error, 512)
    }
  }

  /// 8-bit pixels of 1 to 4 channels (grey, grey+alpha, RGB, RGBA), rows top first, as PNG:
  /// a model's textures as MuJoCo stores them.
  public static func png(
    pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int
  ) throws -> Data {
    guard (1...4).contains(channels), width > 0, height > 0,
      pixels.count >= width * height * channels, let base = pixels.baseAddress
    else {
      throw RenderError.encodingFailed(
        "PNG encoding: \(width)x\(height)x\(channels) pixels from \(pixels.count) bytes")
    }
    var output: UnsafeMutablePointer<UInt8>?
    var size = 0
    var error = [CChar](repeating: 0, count: 512)
    let status = tau_png_encode_channels(
      base, Int32(width), Int32(height), Int32(channels), &output, &size, &error, 512)
    guard status == 0, let output else { throw RenderError.encodingFailed(String(cBuffer: error)) }
    defer { tau_image_free(output) }
    return Data(bytes: output, count: size)
  }

  private static func encode(
    _ image: RGBImage,
    _ codec: (
      UnsafePointer<UInt8>, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
      UnsafeMutablePointer<Int>, UnsafeMutablePointer<CChar>
    ) -> Int32
  ) throws -> Data {
    var output: UnsafeMutablePointer<UInt8>?
    var size = 0
    var error = [CChar](repeating: 0, count: 512)
    let status = image.pixels.withUnsafeBufferPointer { pixels in
      codec(pixels.baseAddress!, &output, &size, &error)
    }
    guard status == 0, let output else { throw RenderError.encodingFailed(String(cBuffer: error)) }
    defer { tau_image_free(output) }
    return Data(bytes: output, count: size)
  }
}

/// Decoding, for tests and tools that check what was encoded.
public enum ImageDecoder {
  /// Decodes a JPEG or PNG (by its signature) to rows top first.
  public static func decode(_ data: Data) throws -> (width: Int, height: Int, rgb: [UInt8]) {
    var rgb: UnsafeMutablePointer<UInt8>?
    var width: Int32 = 0
    var height: Int32 = 0
    var error = [CChar](repeating: 0, count: 512)
    let isPNG = data.starts(with: [0x89, 0x50, 0x4E, 0x47])
    let status = data.withUnsafeBytes { raw -> Int32 in
      let bytes = raw.bindMemory(to: UInt8.self).baseAddress!
      return isPNG
        ? tau_png_decode(bytes, data.count, &rgb, &width, &height, &error, 512)
        : tau_jpeg_decode(bytes, data.count, &rgb, &width, &height, &error, 512)
    }
    guard status == 0, let rgb else { throw RenderError.encodingFailed(String(cBuffer: error)) }
    defer { tau_image_free(rgb) }
    let count = Int(width) * Int(height) * 3
    return (Int(width), Int(height), Array(UnsafeBufferPointer(start: rgb, count: count)))
  }
}
