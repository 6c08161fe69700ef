import Logging
import Synchronization

/// Everything a server logs, kept for a test to search (keys must never be in it).
final class CapturedLogs: Sendable {
  private let lines = Mutex<[String]>([])

  var text: String { lines.withLock { $0.joined(separator: "\n") } }

  var logger: Logger {
    Logger(label: "tau.server") { _ in Handler(sink: self) }
  }

  func append(_ line: String) { lines.withLock { $0.append(line) } }

  struct Handler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
      sink.append("\(event.level) \(event.message) \(event.metadata ?? [:]) \(metadata)")
    }
  }
}
