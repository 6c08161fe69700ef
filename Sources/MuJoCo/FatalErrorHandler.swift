import CMuJoCo
import Foundation

/// Routes MuJoCo's errors and warnings to Swift.
///
/// MuJoCo's fatal errors (`mju_error`) exit the process by default. A tau
/// worker installs a handler that reports the message to its parent first,
/// then exits, so the parent can show the user what went wrong. Warnings
/// raised while stepping are collected until someone takes them.
public enum FatalErrorHandler {
  nonisolated(unsafe) private static var report: ((String) -> Void)?
  nonisolated(unsafe) private static var pendingWarnings: [String] = []
  private static let lock = NSLock()

  /// Installs `report` for fatal errors; it must not return control to
  /// MuJoCo (the process exits right after it).
  public static func install(report: @escaping (String) -> Void) {
    Self.report = report
    mju_user_error = { message in
      let text = message.map { String(cString: $0) } ?? "unknown MuJoCo error"
      FatalErrorHandler.report?(text)
      exit(3)
    }
    mju_user_warning = { message in
      let text = message.map { String(cString: $0) } ?? ""
      FatalErrorHandler.lock.lock()
      if FatalErrorHandler.pendingWarnings.count < 100 {
        FatalErrorHandler.pendingWarnings.append(text)
      }
      FatalErrorHandler.lock.unlock()
    }
  }

  /// Warnings since the last call, oldest first.
  public static func takeWarnings() -> [String] {
    lock.lock()
    defer { lock.unlock() }
    let warnings = pendingWarnings
    pendingWarnings = []
    return warnings
  }
}
