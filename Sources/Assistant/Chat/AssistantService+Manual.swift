import Foundation
import Projects

extension AssistantService {
  /// A person's answer to a queued request, as the chat will show it: its proposals sorted
  /// and checked by the simulator like a model's (without repair rounds: a person answers
  /// once).
  public func manualResponse(
    _ answer: ManualQueue.Answer, to request: ManualQueue.Request, session: SessionID
  ) async throws -> ChatResponse {
    let id = try ProjectID(request.projectID)
    let sorted = ProposalRules.sort(answer.proposals, maxFileBytes: store.limits.maxFileBytes)
    var report: CheckReport?
    if let checker, !sorted.accepted.isEmpty {
      report = try await checker.check(
        session: session, id: id, proposals: sorted.accepted, options: CheckOptions())
    }
    let response = ChatResponse(
      reply: answer.reply, proposals: sorted.accepted, check: report, refused: sorted.refused,
      provider: .manual, sessionUsage: await ledger.usage(session))
    let store = store
    let checked = report
    try? await store.run { store in
      var conversation = Conversation.decode(try store.conversation(session: session, id: id))
      conversation.append(
        Conversation.Turn(
          role: .assistant, content: answer.reply, time: Date().timeIntervalSince1970,
          provider: .manual, proposals: sorted.accepted, check: checked))
      try store.saveConversation(session: session, id: id, try conversation.encoded())
    }
    return response
  }

  /// `POST /api/projects/{id}/check`: the same check on any set of files (the subset of a
  /// proposal a user accepted), written nowhere.
  public func check(
    _ proposals: [Proposal], project id: ProjectID, session: SessionID, options: CheckOptions
  ) async throws -> (report: CheckReport, refused: [RefusedProposal]) {
    let sorted = ProposalRules.sort(proposals, maxFileBytes: store.limits.maxFileBytes)
    guard let checker else {
      throw ProviderError(.badRequest, provider: .manual, "this server runs no simulation")
    }
    _ = try await store.run { try $0.project(session: session, id: id) }
    var report = try await checker.check(
      session: session, id: id, proposals: sorted.accepted, options: options)
    if !sorted.refused.isEmpty {
      report.ok = false
      report.errors += sorted.refused.map {
        CheckIssue(stage: .proposal, message: $0.reason, file: $0.path)
      }
    }
    return (report, sorted.refused)
  }
}
