import Foundation
import Workers

/// The live stream of `/ws/sim/{project_id}`, apart from the WebSocket
/// itself: reads the client's settings and controls, waits for a slot, runs
/// the episode and turns its events into messages.
///
/// Messages keep the original's shapes (`log`, `frame` with `jpeg_b64`,
/// `done`), so its clients work unchanged. With `"binary": true` a frame is
/// one binary message instead: `u32 header length (LE) | header JSON | JPEG`.
public struct EpisodeStream: Sendable {
  public let runner: EpisodeRunner
  public let scheduler: EpisodeScheduler
  /// How long the first message may take; then the defaults apply.
  public var firstMessageTimeout: Duration = .seconds(10)

  public init(runner: EpisodeRunner, scheduler: EpisodeScheduler) {
    self.runner = runner
    self.scheduler = scheduler
  }

  public enum Outgoing: Sendable, Equatable {
    case text(String)
    case binary(Data)
  }

  /// Serves one connection. `incoming` yields the client's text messages and
  /// ends when the client goes; `send` writes one message (and throws when
  /// the client is gone).
  public func serve(
    session: String, project: URL, incoming: AsyncStream<String>,
    send: @escaping @Sendable (Outgoing) async throws -> Void
  ) async {
    let messages = TimedQueue(draining: incoming, capacity: Self.waitingMessages)
    let first = await messages.next(timeout: firstMessageTimeout)
    let settings: EpisodeSettings
    do {
      settings = try EpisodeSettings(message: try Self.parse(first ?? "{}"))
    } catch {
      try? await send(
        .text(
          Self.encode(
            StreamEvent.log(level: .error, message: "invalid stream settings: \(error)").json(
              binary: false))))
      try? await send(
        .text(
          Self.encode(
            StreamEvent.done(totalReward: 0, reason: .invalidSettings, steps: 0).json(
              binary: false))))
      return
    }
    let emit: EpisodeRunner.Emit = { event in
      try await send(Self.message(event, binary: settings.binary))
    }

    guard await admit(session: session, messages: messages, emit: emit) else { return }

    let (controls, relay) = AsyncStream.makeStream(of: EpisodeControl.self)
    let reader = Task {
      while let text = await messages.next() {
        do {
          relay.yield(try EpisodeControl(message: try Self.parse(text)))
        } catch {
          try? await emit(.log(level: .error, message: "ignored control message: \(error)"))
        }
      }
      // The client is gone: stop the episode.
      relay.yield(.stop)
      relay.finish()
    }
    await runner.run(project: project, settings: settings, controls: controls, emit: emit)
    reader.cancel()
    relay.finish()
    await scheduler.release(session: session)
  }

  /// Controls a client may send ahead of its episode (while queued, or while it starts);
  /// beyond them the oldest are dropped.
  static let waitingMessages = 64

  /// Waits for the episode's slot, telling the client its place; false when the client
  /// left first (it leaves the queue then, and no episode runs for nobody).
  private func admit(
    session: String, messages: TimedQueue<String>, emit: @escaping EpisodeRunner.Emit
  ) async -> Bool {
    enum Outcome { case admitted, refused, clientLeft }
    let scheduler = scheduler
    let outcomes = await withTaskGroup(of: Outcome.self) { group in
      group.addTask {
        do {
          try await scheduler.acquire(session: session) { place in
            try? await emit(
              .log(
                level: .info,
                message:
                  "queued: \(place) episode\(place == 1 ? "" : "s") ahead of this one in the queue; it starts when one ends"
              ))
          }
          return .admitted
        } catch {
          return .refused
        }
      }
      group.addTask {
        await messages.untilFinished()
        return .clientLeft
      }
      var outcomes: [Outcome] = []
      if let first = await group.next() { outcomes.append(first) }
      group.cancelAll()
      for await outcome in group { outcomes.append(outcome) }
      return outcomes
    }
    guard outcomes.contains(.admitted) else { return false }
    if outcomes.first == .clientLeft {
      // Admitted as the client left: give the slot back.
      await scheduler.release(session: session)
      return false
    }
    return true
  }

  static func parse(_ text: String) throws -> [String: JSONValue] {
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)),
      let object = value.objectValue
    else { throw SettingsError("a message must be a JSON object") }
    return object
  }

  static func encode(_ object: [String: JSONValue]) -> String {
    let data = (try? JSONEncoder().encode(object)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// The stream's message for an event.
  public static func message(_ event: StreamEvent, binary: Bool) -> Outgoing {
    let header = event.json(binary: binary)
    guard binary, case .frame(let frame) = event else { return .text(encode(header)) }
    let json = Data(encode(header).utf8)
    var data = Data(capacity: 4 + json.count + frame.jpeg.count)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    data.append(frame.jpeg)
    return .binary(data)
  }
}
