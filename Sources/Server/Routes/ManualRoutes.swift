import Assistant
import Foundation
import Hummingbird
import Projects

/// The manual queue (the original's routes): a session sees and answers only its own.
///
/// - `GET /api/manual/pending` → requests not answered yet
/// - `GET /api/manual/pending/{id}` → one request; 404
/// - `POST /api/manual/pending/{id}/respond` `{"reply", "proposals"}` → `{"ok": true}`; 404.
///   The proposals are sorted and checked by the simulator like a model's.
struct ManualRoutes {
  let assistant: AssistantService

  func register(on router: Router<TauRequestContext>) {
    let assistant = assistant
    router.get("/api/manual/pending") { _, context in
      let session = try context.requireSession()
      return try Response.json(await assistant.manual.pending(session: session))
    }
    router.get("/api/manual/pending/:pending") { _, context in
      let session = try context.requireSession()
      let id = context.parameters.get("pending") ?? ""
      guard let request = await assistant.manual.request(id, session: session) else {
        throw HTTPError(.notFound, message: "no pending request \(id) in this session")
      }
      return try Response.json(request)
    }
    router.post("/api/manual/pending/:pending/respond") { request, context in
      let session = try context.requireSession()
      let id = context.parameters.get("pending") ?? ""
      var request = request
      let answer = try await request.decodeJSON(
        ManualQueue.Answer.self, limit: ChatRoutes.bodyLimit)
      guard let pending = await assistant.manual.request(id, session: session),
        await assistant.manual.result(id, session: session) == .some(nil)
      else {
        throw HTTPError(.notFound, message: "no request \(id) waits for an answer in this session")
      }
      let response = try await assistant.manualResponse(answer, to: pending, session: session)
      guard await assistant.manual.respond(id, session: session, with: response) else {
        throw HTTPError(.notFound, message: "request \(id) was answered or expired meanwhile")
      }
      return try Response.json(OKResponse())
    }
  }
}
