import ArgumentParser
import Assistant
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Outbound

/// `tau manual`: answer the manual queue of a running server from a terminal (its
/// `/api/manual/...` routes, with the server's token, as the local session or a given one).
struct Manual: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "See and answer the assistant's manual queue of a running server.",
    subcommands: [List.self, Show.self, Respond.self])

  struct Connection: ParsableArguments {
    @Option(help: "The server's address.") var server = "http://127.0.0.1:7860"
    @Option(help: "The server's access token (default: TAU_TOKEN).") var token: String?
    @Option(help: "A browser session's id (its tau_sid cookie), on a multi-user server.")
    var session: String?

    /// A request to the server's `path`, with the token and session as cookies.
    func send(_ path: String, method: HTTPMethod = .GET, body: Data? = nil) async throws
      -> (status: Int, body: Data)
    {
      let base = server.hasSuffix("/") ? String(server.dropLast()) : server
      var request = HTTPClientRequest(url: base + path)
      request.method = method
      var cookies: [String] = []
      if let token = token ?? ProcessInfo.processInfo.environment["TAU_TOKEN"] {
        cookies.append("tau_token=\(token)")
      }
      if let session { cookies.append("tau_sid=\(session)") }
      if !cookies.isEmpty {
        request.headers.add(name: "Cookie", value: cookies.joined(separator: "; "))
      }
      if let body {
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
      }
      do {
        let response = try await OutboundHTTP.client.execute(request, timeout: .seconds(300))
        let data = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(data.readableBytesView))
      } catch {
        throw Menagerie.CommandFailure("cannot reach the server at \(server): \(error)")
      }
    }

    /// The answer's JSON, or its `detail` as the command's error.
    func json(_ path: String, method: HTTPMethod = .GET, body: Data? = nil) async throws -> Data {
      let (status, data) = try await send(path, method: method, body: body)
      guard (200..<300).contains(status) else {
        let detail = (try? JSONDecoder().decode([String: String].self, from: data))?["detail"]
        throw Menagerie.CommandFailure(
          "the server answered \(status): \(detail ?? String(decoding: data.prefix(300), as: UTF8.self))"
        )
      }
      return data
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The requests waiting for an answer.")
    @OptionGroup var connection: Connection

    func run() async throws {
      let data = try await connection.json("/api/manual/pending")
      let requests = try JSONDecoder().decode([ManualQueue.Request].self, from: data)
      if requests.isEmpty { print("no requests are waiting") }
      for request in requests {
        let asked = request.messages.last(where: { $0.role == .user })?.content ?? ""
        let time = Date(timeIntervalSince1970: request.time).description
        print("\(request.id)  project \(request.projectID)  \(time)  \(asked.prefix(60))")
      }
    }
  }

  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "One request: its context and conversation.")
    @OptionGroup var connection: Connection
    @Argument(help: "The request's id.") var id: String
    @Flag(help: "Print the request as JSON.") var json = false

    func run() async throws {
      let data = try await connection.json("/api/manual/pending/\(id)")
      if json {
        print(String(decoding: data, as: UTF8.self))
        return
      }
      let request = try JSONDecoder().decode(ManualQueue.Request.self, from: data)
      print("request \(request.id), project \(request.projectID)\n")
      print("--- system and context ---\n\(request.system)\n")
      for message in request.messages {
        print("--- \(message.role.rawValue) ---\n\(message.content)\n")
      }
      print(
        "Answer with: tau manual respond \(request.id) FILE  (FILE: {\"reply\", \"proposals\"})")
    }
  }

  struct Respond: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Answer a request with a file: the JSON {\"reply\", \"proposals\"}, or plain text as the reply."
    )
    @OptionGroup var connection: Connection
    @Argument(help: "The request's id.") var id: String
    @Argument(help: "The answer's file (- for standard input).") var file: String

    func run() async throws {
      let data: Data
      if file == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
      } else {
        guard let read = FileManager.default.contents(atPath: file) else {
          throw Menagerie.CommandFailure("cannot read \(file)")
        }
        data = read
      }
      let body: Data
      if (try? JSONDecoder().decode(ManualQueue.Answer.self, from: data)) != nil {
        body = data
      } else {
        body = try JSONEncoder().encode(PlainAnswer(reply: String(decoding: data, as: UTF8.self)))
      }
      _ = try await connection.json("/api/manual/pending/\(id)/respond", method: .POST, body: body)
      print("answered \(id)")
    }

    struct PlainAnswer: Encodable {
      var reply: String
      var proposals: [Proposal] = []
    }
  }
}
