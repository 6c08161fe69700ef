import CMuJoCo
import Foundation
import Synchronization

/// Routes MuJoCo's errors and warnings to Swift.
///
/// MuJoCo's fatal errors (`mju_error`) exit the process by default. A tau
/// worker installs a handler that reports the message to its parent first,
/// then exits, so the parent can show the user what went wrong. Warnings
/// raised while stepping are collected until someone takes them.
public enum FatalErrorHandler {
  private struct State {
    var report: (@Sendable (String) -> Void)?
    var warnings: [String] = []
  }

  private static let state = Mutex(State())

  /// Installs `report` for fatal errors; it must not return control to
  /// MuJoCo (the process exits right after it).
  public static func install(report: @escaping @Sendable (String) -> Void) {
    state.withLock { $0.report = report }
    tau_mujoco_set_handlers(
      { message in
        let text = message.map { String(cString: $0) } ?? "unknown MuJoCo error"
        FatalErrorHandler.state.withLock { $0.report }?(text)
        exit(3)
      },
      { message in
        let text = message.map { String(cString: $0) } ?? ""
        FatalErrorHandler.state.withLock {
          if $0.warnings.count < 100 { $0.warnings.append(text) }
        }
      })
  }

  /// Warnings since the last call, oldest first.
  public static func takeWarnings() -> [String] {
    state.withLock { state in
      defer { state.warnings = [] }
      return state.warnings
    }
  }
}
