import Foundation
import Synchronization

/// One lock per session, so changes within a session happen one at a time.
final class SessionLocks: Sendable {
  private let locks = Mutex<[String: NSLock]>([:])

  func withLock<T>(_ session: SessionID, _ body: () throws -> T) rethrows -> T {
    let lock = locks.withLock { locks in
      if let existing = locks[session.rawValue] { return existing }
      let lock = NSLock()
      locks[session.rawValue] = lock
      return lock
    }
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }
}
