import CGLPlatform
import Foundation
import MuJoCo

/// The process's one offscreen OpenGL context.
///
/// GL contexts are bound to a thread, and MuJoCo's GL loader binds to the
/// first platform it sees, so a process has one context, shared by every
/// renderer and used by one thread at a time (`withCurrent`).
///
/// Unchecked Sendable: the context is made current only inside `lock` (`withCurrent`), and
/// `shared` is read and written only inside `sharedLock`.
public final class GLContext: @unchecked Sendable {
  public let platform: GLPlatform
  private let context: OpaquePointer
  private let lock = NSLock()

  nonisolated(unsafe) private static var shared: GLContext?
  private static let sharedLock = NSLock()

  private init(platform: GLPlatform) throws {
    var error = [CChar](repeating: 0, count: 512)
    guard let context = tau_gl_create(platform.cValue, &error, Int32(error.count)) else {
      throw RenderError.contextFailed(platform: platform.rawValue, reason: String(cBuffer: error))
    }
    self.platform = platform
    self.context = context
  }

  /// The process's context, created on first use with `platform`. Asking for
  /// another platform later is an error: one platform per process.
  public static func shared(platform: GLPlatform) throws -> GLContext {
    sharedLock.lock()
    defer { sharedLock.unlock() }
    if let shared {
      guard shared.platform == platform else {
        throw RenderError.contextFailed(
          platform: platform.rawValue,
          reason: "this process already renders with \(shared.platform)")
      }
      return shared
    }
    let context = try GLContext(platform: platform)
    shared = context
    return context
  }

  /// Runs `body` with the context current on this thread, one caller at a time.
  public func withCurrent<T>(_ body: () throws -> T) throws -> T {
    lock.lock()
    defer { lock.unlock() }
    guard tau_gl_make_current(context) == 0 else {
      throw RenderError.contextFailed(platform: platform.rawValue, reason: "make current failed")
    }
    return try body()
  }

  /// GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
  public var renderer: String {
    (try? withCurrent { String(cString: tau_gl_string(context, 0x1F01)) }) ?? ""
  }

  /// GL_VERSION of the context.
  public var version: String {
    (try? withCurrent { String(cString: tau_gl_string(context, 0x1F02)) }) ?? ""
  }
}
