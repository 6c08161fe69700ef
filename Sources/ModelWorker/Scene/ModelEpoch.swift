import CDigest
import CMuJoCo
import MuJoCo

/// A compiled model's identity for viewers and HTTP caches: the SHA-256 (hex) of the bytes
/// `mj_saveModel` writes, which are the same for the same model however often it is compiled.
enum ModelEpoch {
  static func of(_ model: Model) -> String {
    let size = Int(mj_sizeModel(model.pointer))
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 8)
    defer { buffer.deallocate() }
    mj_saveModel(model.pointer, nil, buffer, mjtSize(size))
    var context = tau_sha256_context()
    tau_sha256_init(&context)
    tau_sha256_update(&context, buffer, size)
    var digest = [UInt8](repeating: 0, count: 32)
    tau_sha256_final(&context, &digest)
    let hex = Array("0123456789abcdef")
    return String(digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] })
  }
}
