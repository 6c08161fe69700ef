import Assistant
import Foundation
import Hummingbird
import NIOCore
import Projects

/// The assistant's chat, the original's routes and ours.
///
/// - `POST /api/chat` ChatRequest → ChatResponse (the original's single answer)
/// - `POST /api/chat/stream` ChatRequest → Server-Sent Events: `text` as the reply is
///   written, `checking` and `repair` while the simulator checks, then `response` (the
///   ChatResponse) or `error`; a client that leaves cancels the vendor call and the rounds
/// - `GET /api/chat/result/{pending_id}` → 202 `{"pending": true}`, then the ChatResponse
/// - `GET /api/projects/{id}/chat` → the stored conversation; `DELETE` clears it
struct ChatRoutes {
  let assistant: AssistantService

  static let bodyLimit = 24 << 20

  struct Pending: Encodable { var pending = true }

  func register(on router: Router<TauRequestContext>) {
    let assistant = assistant
    router.post("/api/chat") { request, context in
      let session = try context.requireSession()
      var request = request
      let chat = try await request.decodeJSON(ChatRequest.self, limit: Self.bodyLimit)
      let response = try await AssistantHTTP.answering(
        keys: AssistantHTTP.keys(chat, environment: assistant.environment)
      ) {
        try await context.cancellingOnDisconnect {
          try await assistant.answer(chat, session: session)
        }
      }
      return try Response.json(response)
    }
    router.post("/api/chat/stream") { request, context in
      let session = try context.requireSession()
      var request = request
      let chat = try await request.decodeJSON(ChatRequest.self, limit: Self.bodyLimit)
      // The project must exist before the 200 of a stream goes out.
      let id = try ProjectID(chat.projectID)
      _ = try await assistant.store.run { try $0.project(session: session, id: id) }
      return Self.stream(chat, session: session, assistant: assistant, context: context)
    }
    router.get("/api/chat/result/:pending") { _, context in
      let session = try context.requireSession()
      let id = context.parameters.get("pending") ?? ""
      guard let result = await assistant.manual.result(id, session: session) else {
        throw HTTPError(.notFound, message: "no pending request \(id) in this session")
      }
      guard let response = result else { return try Response.json(Pending(), status: .accepted) }
      return try Response.json(response)
    }
    router.get("/api/projects/:id/chat") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      let data = try await assistant.store.run { try $0.conversation(session: session, id: id) }
      return try Response.json(Conversation.decode(data))
    }
    router.delete("/api/projects/:id/chat") { _, context in
      let session = try context.requireSession()
      let id = try context.projectID()
      try await assistant.store.run { try $0.saveConversation(session: session, id: id, nil) }
      return try Response.json(OKResponse())
    }
  }

  /// The SSE answer: events as the assistant reports them, the final response last. When
  /// writing fails (the client left), the answer's task is cancelled, and with it the
  /// vendor's request and any repair round.
  static func stream(
    _ chat: ChatRequest, session: SessionID, assistant: AssistantService,
    context: TauRequestContext
  ) -> Response {
    let (events, sink) = AsyncStream.makeStream(of: ChatEvent.self)
    let keys = AssistantHTTP.keys(chat, environment: assistant.environment)
    let body = ResponseBody { writer in
      let work = Task {
        do {
          // A client that leaves while nothing is written is noticed too.
          let response = try await context.cancellingOnDisconnect {
            try await assistant.answer(chat, session: session) { sink.yield($0) }
          }
          sink.yield(.response(response))
        } catch let error as ProviderError {
          sink.yield(
            .error(
              status: Int(AssistantHTTP.status(of: error).code),
              message: AssistantHTTP.redact(error.message, keys: keys)))
        } catch is CancellationError {
        } catch is ClientDisconnected {
        } catch {
          sink.yield(.error(status: 500, message: AssistantHTTP.redact("\(error)", keys: keys)))
        }
        sink.finish()
      }
      do {
        for await event in events {
          try await writer.write(ByteBuffer(string: event.serverSentEvent))
        }
        try await writer.finish(nil)
      } catch {
        work.cancel()
        throw error
      }
    }
    return Response(
      status: .ok,
      headers: [
        .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
      ],
      body: body)
  }
}
