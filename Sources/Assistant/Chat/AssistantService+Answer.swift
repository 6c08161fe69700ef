import Foundation
import Projects
import Simulation

extension AssistantService {
  public typealias Events = @Sendable (ChatEvent) -> Void

  /// Answers one chat request of `session`: the manual queue's pending id, or the model's
  /// reply with its proposals sorted, checked and repaired. `events` hears text as it is
  /// written and the check's progress (streaming clients).
  public func answer(
    _ request: ChatRequest, session: SessionID, events: Events? = nil
  ) async throws -> ChatResponse {
    let id = try ProjectID(request.projectID)
    let info = try await store.run { try $0.project(session: session, id: id) }
    let files = try await store.run { try $0.files(session: session, id: id) }
    var context = ProjectContext(
      name: info.name, files: files, include: request.include, exclude: request.exclude)
    context.budget = contextBudget
    let system =
      SystemPrompt.text(proposeDiff: request.proposeDiff)
      + "\n\n" + context.render().text
      + request.messages.filter { $0.role == .system }.map { "\n\n" + $0.content }.joined()
    let provider = providerID(for: request)
    guard let last = request.messages.last(where: { $0.role == .user }) else {
      throw ProviderError(.badRequest, provider: provider, "the conversation has no user message")
    }

    if provider == .manual {
      let queued = try await manual.enqueue(
        session: session, projectID: id.rawValue, system: system, messages: request.messages)
      try await remember(last, answer: nil, session: session, id: id)
      return ChatResponse(
        reply: "Queued for a person to answer (request \(queued.id)).", pendingID: queued.id,
        provider: .manual, sessionUsage: await ledger.usage(session))
    }

    try await ledger.checkBudget(session, provider: provider)
    let settings = try settings(provider, apiKey: request.apiKey, baseURL: request.baseURL)
    guard let vendor = makeProvider(provider, settings) else {
      throw ProviderError(.badRequest, provider: provider, "no such provider")
    }
    let model = request.model ?? settings.defaultModel
    var messages = try await turns(request, session: session, project: id)
    if !vendor.acceptsImages(model: model), messages.contains(where: { !$0.images.isEmpty }) {
      messages = messages.map { ModelMessage(role: $0.role, text: $0.text) }
    }

    var usage = TokenUsage()
    var format = AnswerSchema.format
    var onText: (@Sendable (String) -> Void)?
    if let events { onText = { text in events(.text(text)) } }
    var reply = try await ask(
      vendor, ModelRequest(model: model, system: system, messages: messages, format: format),
      format: &format, usage: &usage, session: session, onText: onText)
    var parsed = ReplyParser.parse(reply.text)
    var sorted = ProposalRules.sort(
      request.proposeDiff ? parsed.proposals : [], maxFileBytes: store.limits.maxFileBytes)
    var report: CheckReport?
    var repairs: [String] = []
    if let checker, request.check.enabled, !sorted.accepted.isEmpty {
      var round = 0
      while true {
        events?(.checking("checking \(sorted.accepted.count) proposed files"))
        let checked = try await checker.check(
          session: session, id: id, proposals: sorted.accepted, options: request.check
        ) { events?(.checking($0)) }
        if let previous = report, !previous.ok, checked.ok {
          repairs.append(
            "Round \(round) repaired: " + previous.errors.map(\.text).joined(separator: "; "))
        }
        report = checked
        guard !checked.ok, round < request.check.repairRounds else { break }
        round += 1
        events?(
          .repair(round: round, issues: checked.errors.map { (issue: CheckIssue) in issue.text }))
        messages.append(ModelMessage(role: .assistant, text: reply.text))
        messages.append(ModelMessage(role: .user, text: SystemPrompt.repair(checked.errors)))
        reply = try await ask(
          vendor, ModelRequest(model: model, system: system, messages: messages, format: format),
          format: &format, usage: &usage, session: session, onText: nil)
        let repaired = ReplyParser.parse(reply.text)
        guard !repaired.proposals.isEmpty else { break }
        parsed = ReplyParser.Parsed(
          reply: parsed.reply + "\n\n" + repaired.reply, proposals: repaired.proposals,
          structured: repaired.structured, truncated: repaired.truncated)
        sorted = ProposalRules.sort(parsed.proposals, maxFileBytes: store.limits.maxFileBytes)
        if sorted.accepted.isEmpty { break }
      }
      if let report, !report.ok, round > 0 {
        repairs.append(
          "\(round) repair round(s) did not fix: "
            + report.errors.map(\.text).joined(separator: "; "))
      }
    }
    var text = parsed.reply
    if parsed.truncated {
      text +=
        "\n\n(The answer was cut off at the model's token limit; an unfinished proposal was left out.)"
    }
    let response = ChatResponse(
      reply: text, proposals: sorted.accepted, check: report, refused: sorted.refused,
      repairs: repairs, provider: provider, model: model, usage: usage,
      sessionUsage: await ledger.usage(session))
    try await remember(last, answer: response, session: session, id: id)
    return response
  }

  /// One call, stepping down the response-format ladder when the vendor refuses the format.
  func ask(
    _ vendor: any LanguageModelProvider, _ request: ModelRequest, format: inout ResponseFormat,
    usage: inout TokenUsage, session: SessionID, onText: (@Sendable (String) -> Void)?
  ) async throws -> ModelReply {
    var request = request
    while true {
      request.format = format
      do {
        try await ledger.checkBudget(session, provider: vendor.id)
        let reply = try await vendor.complete(request, onText: onText)
        usage = usage + reply.usage
        await ledger.add(reply.usage, to: session)
        return reply
      } catch let error as ProviderError where error.kind == .formatUnsupported {
        switch format {
        case .jsonSchema: format = .jsonObject
        case .jsonObject: format = .text
        case .text: throw error
        }
        logger.info("\(vendor.id.rawValue) refused a response format; stepping down")
      }
    }
  }

  /// The client's turns as the vendor receives them, with the run and pictures attached to
  /// the last user turn.
  func turns(_ request: ChatRequest, session: SessionID, project: ProjectID) async throws
    -> [ModelMessage]
  {
    var messages = request.messages.compactMap { message -> ModelMessage? in
      switch message.role {
      case .user: ModelMessage(role: .user, text: message.content)
      case .assistant: ModelMessage(role: .assistant, text: message.content)
      case .system: nil
      }
    }
    guard let lastUser = messages.lastIndex(where: { $0.role == .user }) else { return messages }
    var extra: [String] = []
    var images = try Self.decodeImages(request.images)
    let folder = try await store.run { try $0.projectURL(session: session, id: project) }
    if request.attachRun {
      extra.append(await lastRunText(folder))
    }
    if !request.runLogs.isEmpty {
      extra.append(
        "Logs of the last run:\n"
          + request.runLogs.map { String($0.prefix(2000)) }
          .joined(separator: "\n"))
    }
    if let pictures, request.attachSnapshot || request.attachFilmstrip {
      let frames = request.attachFilmstrip ? 4 : 1
      let strip = try await pictures.filmstrip(
        session: session.rawValue, project: folder, steps: 200, frames: frames,
        options: .still)
      for frame in strip.frames {
        if let data = Data(base64Encoded: frame.jpegBase64) {
          images.append(ImageAttachment(mediaType: .jpeg, data: data))
        }
      }
      let metrics =
        (try? JSONEncoder().encode(strip.metrics)).map {
          String(decoding: $0, as: UTF8.self)
        } ?? "{}"
      extra.append(
        "Attached: \(frames == 1 ? "a picture" : "\(frames) pictures") of the project after "
          + "up to 200 control steps (steps \(strip.frames.map { String($0.step) }.joined(separator: ", "))). "
          + "Its numbers (judge motion by these, not by the pictures alone): \(metrics)")
    }
    var last = messages[lastUser]
    if !extra.isEmpty { last.text += "\n\n" + extra.joined(separator: "\n\n") }
    last.images = Array(images.prefix(Self.maximumImages))
    messages[lastUser] = last
    return messages
  }

  /// The summary of the project's newest recorded run.
  func lastRunText(_ folder: URL) async -> String {
    let runs = RunRecordings().list(project: folder)
    guard let run = runs.max(by: { $0.started < $1.started }) else {
      return "The project has no recorded run yet."
    }
    return "The last run: \(run.steps) steps of \(run.xmlPath), total reward "
      + "\(run.totalReward), ended: \(run.reason?.rawValue ?? "unknown")."
  }

  static func decodeImages(_ images: [ChatImage]) throws -> [ImageAttachment] {
    guard images.count <= maximumImages else {
      throw ProviderError(
        .badRequest, provider: .manual, "at most \(maximumImages) images go with one message")
    }
    return try images.enumerated().map { index, image in
      guard let type = ImageAttachment.MediaType(rawValue: image.mediaType) else {
        throw ProviderError(
          .badRequest, provider: .manual,
          "image \(index + 1): media_type must be image/png or image/jpeg")
      }
      guard let data = Data(base64Encoded: image.data), data.count <= maximumImageBytes else {
        throw ProviderError(
          .badRequest, provider: .manual,
          "image \(index + 1) is not base64 or is larger than \(maximumImageBytes >> 20) MiB")
      }
      let signature: [UInt8] = type == .png ? [0x89, 0x50, 0x4E, 0x47] : [0xFF, 0xD8, 0xFF]
      guard data.starts(with: signature) else {
        throw ProviderError(
          .badRequest, provider: .manual, "image \(index + 1) is not a \(type.rawValue)")
      }
      return ImageAttachment(mediaType: type, data: data)
    }
  }

  /// Appends the user's turn and the answer to the project's stored conversation.
  func remember(
    _ question: ChatMessage, answer: ChatResponse?, session: SessionID, id: ProjectID
  ) async throws {
    let store = store
    try await store.run { store in
      var conversation = Conversation.decode(try store.conversation(session: session, id: id))
      let now = Date().timeIntervalSince1970
      conversation.append(
        Conversation.Turn(role: .user, content: question.content, time: now))
      if let answer {
        conversation.append(
          Conversation.Turn(
            role: .assistant, content: answer.reply, time: now, provider: answer.provider,
            model: answer.model, proposals: answer.proposals, check: answer.check,
            usage: answer.usage))
      }
      try store.saveConversation(session: session, id: id, try conversation.encoded())
    }
  }
}
