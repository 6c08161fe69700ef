import Assistant
import Foundation
import Hummingbird
import Projects

/// The assistant's other routes.
///
/// - `GET /api/providers` → `[ProviderCatalog.Entry]` (which have a server key, never the
///   key; default models; the models each offers)
/// - `POST /api/projects/{id}/check` `{"proposals": [{"path", "new_content"}], "check"?}` →
///   `{"check": CheckReport, "refused": [...]}`: the simulator's check of any set of files,
///   written nowhere
/// - `POST /api/projects/suggest` `{"description", "provider"?, "model"?, "api_key"?}` →
///   `ProjectSuggestion` (a template or a Menagerie robot, a name and why; or none)
struct AssistantRoutes {
  let assistant: AssistantService
  let providers: ProviderCatalog
  let menagerie: MenagerieService?

  struct CheckBody: Decodable {
    var proposals: [Proposal]
    var check: CheckOptions?
  }

  struct CheckAnswer: Encodable {
    var check: CheckReport
    var refused: [RefusedProposal]
  }

  struct SuggestBody: Decodable {
    var description: String
    var provider: ProviderID?
    var model: String?
    var apiKey: String?
    var baseURL: String?

    enum CodingKeys: String, CodingKey {
      case description, provider, model
      case apiKey = "api_key"
      case baseURL = "base_url"
    }
  }

  func register(on router: Router<TauRequestContext>) {
    let assistant = assistant
    let providers = providers
    let menagerie = menagerie
    let slots = CheckSlots()
    router.get("/api/providers") { _, _ in
      try Response.json(await providers.entries())
    }
    router.post("/api/projects/:id/check") { request, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      var request = request
      let body = try await request.decodeJSON(CheckBody.self, limit: ChatRoutes.bodyLimit)
      guard !body.proposals.isEmpty else {
        throw HTTPError(
          .badRequest, message: "no files to check: send proposals [{path, new_content}]")
      }
      let (report, refused) = try await slots.run(session: session) {
        try await AssistantHTTP.answering(keys: []) {
          try await context.cancellingOnDisconnect {
            try await assistant.check(
              body.proposals, project: id, session: session, options: body.check ?? CheckOptions())
          }
        }
      }
      return try Response.json(CheckAnswer(check: report, refused: refused))
    }
    router.post("/api/projects/suggest") { request, context in
      let session = try context.requireSession()
      var request = request
      let body = try await request.decodeJSON(SuggestBody.self, limit: 64 * 1024)
      let description = body.description.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !description.isEmpty else {
        throw HTTPError(.badRequest, message: "describe what to build in a sentence")
      }
      let robots = (try? await menagerie?.catalog()) ?? []
      let candidates = SuggestionCandidates(
        templates: ProjectTemplate.all.map { ($0.name, $0.summary) },
        robots: robots.map { ($0.name, $0.displayName, $0.category) })
      let keys = [body.apiKey] + AssistantHTTP.keys(nil, environment: assistant.environment)
      let suggestion = try await AssistantHTTP.answering(keys: keys) {
        try await assistant.suggest(
          description, candidates: candidates, provider: body.provider, model: body.model,
          apiKey: body.apiKey, baseURL: body.baseURL, session: session)
      }
      return try Response.json(suggestion)
    }
  }
}
