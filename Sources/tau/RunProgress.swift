import Foundation
import Simulation

/// `tau run`'s output while the episode runs: a bar on a terminal, plain
/// lines (every tenth of the episode) otherwise; logs always, on stderr.
///
/// Unchecked Sendable: episode events arrive from the episode's tasks; every mutable field
/// is read and written only inside `lock`.
final class RunProgress: @unchecked Sendable {
  private let maxSteps: Int
  private let quiet: Bool
  private let isTerminal = isatty(STDOUT_FILENO) == 1
  private var lastTenth = -1
  private var barShown = false
  private let lock = NSLock()

  init(maxSteps: Int, quiet: Bool) {
    self.maxSteps = maxSteps
    self.quiet = quiet
  }

  func show(_ event: StreamEvent) {
    lock.lock()
    defer { lock.unlock() }
    switch event {
    case .log(let level, let message):
      clearBar()
      FileHandle.standardError.write(Data("[\(level)] \(message)\n".utf8))
    case .frame(let frame):
      guard !quiet else { return }
      let step = frame.telemetry.step
      let reward = String(format: "%.3f", frame.telemetry.totalReward)
      if isTerminal {
        let width = 30
        let filled = min(width, step * width / max(maxSteps, 1))
        let bar =
          String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        print("\r[\(bar)] \(step)/\(maxSteps)  reward \(reward)", terminator: "")
        fflush(nil)  // every output stream: stdout is a C global Swift 6 will not touch
        barShown = true
      } else {
        let tenth = step * 10 / max(maxSteps, 1)
        if tenth > lastTenth {
          lastTenth = tenth
          print("step \(step)/\(maxSteps)  total reward \(reward)")
        }
      }
    case .done, .started:
      break
    }
  }

  func end() {
    lock.lock()
    defer { lock.unlock() }
    if barShown { print("") }
    barShown = false
  }

  private func clearBar() {
    if barShown {
      print("")
      barShown = false
    }
  }
}
