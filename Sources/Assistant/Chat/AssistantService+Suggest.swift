import Foundation
import Projects

/// `POST /api/projects/suggest`: from a sentence to a starting point the user confirms.
public struct ProjectSuggestion: Codable, Sendable, Equatable {
  public enum Choice: String, Codable, Sendable { case template, menagerie, none }
  public var choice: Choice
  public var template: String?
  public var robot: String?
  public var entry: String?
  public var name: String
  public var why: String
  public var usage: TokenUsage?
}

/// What a suggestion may choose from.
public struct SuggestionCandidates: Sendable {
  public var templates: [(name: String, summary: String)]
  /// Menagerie robots: name, display name, category.
  public var robots: [(name: String, displayName: String, category: String)]

  public init(
    templates: [(name: String, summary: String)],
    robots: [(name: String, displayName: String, category: String)]
  ) {
    self.templates = templates
    self.robots = robots
  }
}

extension AssistantService {
  static let suggestionSchema = JSONSchema(
    json: #"""
      {"type": "object", "additionalProperties": false,
       "required": ["choice", "template", "robot", "name", "why"],
       "properties": {"choice": {"type": "string", "enum": ["template", "menagerie", "none"]},
                      "template": {"type": "string"}, "robot": {"type": "string"},
                      "name": {"type": "string"}, "why": {"type": "string"}}}
      """#)

  public func suggest(
    _ description: String, candidates: SuggestionCandidates, provider requested: ProviderID?,
    model: String?, apiKey: String?, baseURL: String?, session: SessionID
  ) async throws -> ProjectSuggestion {
    var probe = ChatRequest(projectID: "", messages: [], provider: requested)
    probe.apiKey = apiKey
    let provider = providerID(for: probe)
    guard provider != .manual else {
      throw ProviderError(
        .badRequest, provider: provider, "a suggestion needs a language model, not the manual queue"
      )
    }
    try await ledger.checkBudget(session, provider: provider)
    let settings = try settings(provider, apiKey: apiKey, baseURL: baseURL)
    guard let vendor = makeProvider(provider, settings) else {
      throw ProviderError(.badRequest, provider: provider, "no such provider")
    }
    let system = """
      You help a user of tau-sim, a MuJoCo simulation IDE, start a project from one \
      sentence. Choose the best starting point: a template, or a robot from MuJoCo \
      Menagerie (by its exact name). When nothing fits, choose "none" and say why. Give a \
      short project name (letters, digits, spaces) and one or two sentences of why. Answer \
      with one JSON object: {"choice": "template"|"menagerie"|"none", "template": NAME or \
      "", "robot": NAME or "", "name": PROJECT NAME, "why": TEXT}.

      Templates:
      \(candidates.templates.map { "- \($0.name): \($0.summary)" }.joined(separator: "\n"))

      Menagerie robots (name: display name, category):
      \(candidates.robots.map { "- \($0.name): \($0.displayName), \($0.category)" }.joined(separator: "\n"))
      """
    var format = ResponseFormat.jsonSchema(name: "tau_suggestion", schema: Self.suggestionSchema)
    var usage = TokenUsage()
    let reply = try await ask(
      vendor,
      ModelRequest(
        model: model ?? settings.defaultModel, system: system,
        messages: [ModelMessage(role: .user, text: String(description.prefix(2000)))],
        format: format, maxTokens: 1024),
      format: &format, usage: &usage, session: session, onText: nil)
    return Self.validated(reply.text, candidates: candidates, usage: usage)
  }

  /// The model's choice, kept only when it names something that exists.
  static func validated(
    _ text: String, candidates: SuggestionCandidates, usage: TokenUsage
  ) -> ProjectSuggestion {
    struct Raw: Decodable {
      var choice: String?
      var template: String?
      var robot: String?
      var name: String?
      var why: String?
    }
    let raw = ReplyParser.candidates(text).lazy.compactMap {
      try? JSONDecoder().decode(Raw.self, from: Data($0.utf8))
    }.first
    let name = String((raw?.name ?? "").prefix(60)).trimmingCharacters(in: .whitespaces)
    let why = raw?.why ?? ""
    switch raw?.choice {
    case "template" where candidates.templates.contains { $0.name == raw?.template }:
      return ProjectSuggestion(
        choice: .template, template: raw?.template, name: name.isEmpty ? "New project" : name,
        why: why, usage: usage)
    case "menagerie" where candidates.robots.contains { $0.name == raw?.robot }:
      return ProjectSuggestion(
        choice: .menagerie, robot: raw?.robot, name: name.isEmpty ? raw?.robot ?? "" : name,
        why: why, usage: usage)
    default:
      let named = [raw?.robot, raw?.template].compactMap { $0 }.first { !$0.isEmpty } ?? ""
      return ProjectSuggestion(
        choice: .none, name: name,
        why: why.isEmpty || raw?.choice != "none"
          ? "Nothing in the templates or the Menagerie catalog fits"
            + (named.isEmpty ? "." : " (the model named \(named), which does not exist).")
            + (why.isEmpty ? "" : " " + why)
          : why,
        usage: usage)
    }
  }
}
