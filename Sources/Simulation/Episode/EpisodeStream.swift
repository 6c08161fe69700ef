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
  /// The epoch of a model's scene document (a 3D view's poses carry it); nil: unknown.
  public var sceneEpoch: @Sendable (ModelSource) async -> String? = { _ in nil }
  /// At most this many poses a second go to a 3D view.
  public static let posesPerSecond = 60

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
  /// the client is gone); `close` starts the WebSocket's closing handshake.
  ///
  /// The connection ends with that handshake, never by abandoning `incoming`: the client's
  /// reply to the close comes after it has read everything sent before (`done` last), while
  /// a reader cancelled here would end the socket's inbound side at once, and the server
  /// would drop the connection with the last messages still in its buffers (a slow client
  /// then lost its last frames and `done`).
  ///
  /// `acknowledgements` is where a 3D view's `pose_ack` messages go: a server that hands them
  /// there where it reads the socket leaves them out of `incoming`; any that still come
  /// through `incoming` are taken the same way. `readerExecutor` is the runner's
  /// (`EpisodeRunner.run`): where the steps of an episode with nothing to render are sent.
  public func serve<Incoming: AsyncSequence & Sendable>(
    session: String, project: URL, incoming: Incoming,
    acknowledgements: PoseAcknowledgements = PoseAcknowledgements(),
    readerExecutor: (any TaskExecutor)? = nil,
    send: @escaping @Sendable (Outgoing) async throws -> Void,
    close: @escaping @Sendable () async -> Void
  ) async where Incoming.Element == String {
    let messages = TimedQueue<String>(capacity: Self.waitingMessages)
    let drain = Task {
      do {
        for try await text in incoming where !acknowledgements.take(text.utf8) {
          await messages.push(text)
        }
      } catch {}
      await messages.finish()
    }
    await converse(
      session: session, project: project, messages: messages, acknowledgements: acknowledgements,
      readerExecutor: readerExecutor, send: send)
    await close()
    await Self.awaitEnd(of: messages, within: closingHandshakeTimeout)
    drain.cancel()
  }

  /// How long the client may take to answer the server's close (reading what is left first).
  public var closingHandshakeTimeout: Duration = .seconds(15)

  /// Waits until the client's side of the conversation ends, at most `timeout`.
  static func awaitEnd(of messages: TimedQueue<String>, within timeout: Duration) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { await messages.untilFinished() }
      group.addTask { try? await Task.sleep(for: timeout) }
      await group.next()
      group.cancelAll()
    }
  }

  /// The conversation itself: the settings, the wait for a slot, the episode.
  private func converse(
    session: String, project: URL, messages: TimedQueue<String>,
    acknowledgements: PoseAcknowledgements, readerExecutor: (any TaskExecutor)?,
    send: @escaping @Sendable (Outgoing) async throws -> Void
  ) async {
    let first = await messages.next(timeout: firstMessageTimeout)
    let settings: EpisodeSettings
    do {
      settings = try EpisodeSettings(message: try Self.parse(first ?? "{}"))
    } catch {
      try? await send(
        Self.message(
          .log(level: .error, message: "invalid stream settings: \(error)"), binary: false))
      try? await send(
        Self.message(.done(totalReward: 0, reason: .invalidSettings, steps: 0), binary: false))
      return
    }
    let poses = settings.view == .threeD ? PoseMailbox(rate: Self.posesPerSecond) : nil
    acknowledgements.attach(poses)
    let sceneEpoch = sceneEpoch
    let layout = PoseLayout()
    let emit: EpisodeRunner.Emit = { event in
      switch event {
      case .started(let start):
        // Only a 3D view hears of it: which bodies and lights its poses hold, and the
        // model's epoch, so it loads the scene that matches.
        guard poses != nil else { return }
        let model = ModelSource.file(
          path: project.appendingPathComponent(start.xmlPath).path, confinedTo: project.path)
        // Awaited on purpose: poses before the `scene` message would be of a scene the view
        // does not have, and a cold document made here is the one the view fetches next
        // (from the cache), so its first picture comes no later.
        let value = await sceneEpoch(model)
        layout.set(
          epoch: PosePacket.epochNumber(value), bodies: start.poseBodies.count,
          lights: start.poseLights.count)
        try await send(.text(Self.encode(Self.sceneMessage(start, epoch: value))))
      case .frame(let frame) where poses != nil:
        try await send(Self.message(event, binary: false))
        guard let poses, let data = frame.poses,
          let packet = layout.packet(
            step: frame.telemetry.step, time: frame.telemetry.simTime, poses: data),
          let now = poses.offer(packet)
        else { return }
        // Its turn now: written by this task, as most are (`PoseMailbox`).
        try await poses.write(now) { try await send(.binary($0.encoded)) }
      case .done where poses != nil:
        // The episode's last state: its pose goes before `done`, whatever the ack.
        if let last = await poses?.close() { try await send(.binary(last.encoded)) }
        try await send(Self.message(event, binary: false))
      default:
        try await send(Self.message(event, binary: settings.binary))
      }
    }

    guard await admit(session: session, messages: messages, emit: emit) else { return }

    let (controls, relay) = AsyncStream.makeStream(of: EpisodeControl.self)
    let reader = Task {
      while let text = await messages.next() {
        do {
          let message = try Self.parse(text)
          // An acknowledgement that came before the view's settings were read: nothing to do.
          if message["type"]?.stringValue == "pose_ack" { continue }
          relay.yield(try EpisodeControl(message: message))
        } catch {
          try? await emit(.log(level: .error, message: "ignored control message: \(error)"))
        }
      }
      // The client is gone: stop the episode.
      relay.yield(.stop)
      relay.finish()
    }
    // The poses that had to wait for their turn or for an acknowledgement.
    let poseSender = poses.map { mailbox in
      Task {
        await mailbox.deliver { pose in try? await send(.binary(pose.encoded)) }
      }
    }
    await runner.run(
      project: project, settings: settings, controls: controls, readerExecutor: readerExecutor,
      emit: emit)
    _ = await poses?.close()
    await poseSender?.value
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

  /// A 3D view's `scene` message: the model, its epoch, and the order of the poses.
  static func sceneMessage(_ start: EpisodeStart, epoch: String?) -> [String: JSONValue] {
    [
      "type": "scene", "xml_path": .string(start.xmlPath),
      "epoch": epoch.map { .string($0) } ?? .null,
      "bodies": .array(start.poseBodies.map { .number(Double($0)) }),
      "lights": .array(start.poseLights.map { .number(Double($0)) }),
    ]
  }

  static func parse(_ text: String) throws -> [String: JSONValue] {
    guard let object = try? JSONValue(parsing: Array(text.utf8)).objectValue else {
      throw SettingsError("a message must be a JSON object")
    }
    return object
  }

  static func encode(_ object: [String: JSONValue]) -> String {
    JSONValue.object(object).jsonText
  }

  /// The stream's message for an event.
  public static func message(_ event: StreamEvent, binary: Bool) -> Outgoing {
    let header = event.text(binary: binary)
    guard binary, case .frame(let frame) = event else { return .text(header) }
    let json = Data(header.utf8)
    var data = Data(capacity: 4 + json.count + frame.jpeg.count)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    data.append(frame.jpeg)
    return .binary(data)
  }
}
