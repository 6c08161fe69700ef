import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

@testable import Server

#if canImport(Glibc)
  import Glibc
#endif

/// A video export cannot hold the render workers and ffmpeg for an unbounded time.
@Suite("Video export limits")
struct VideoExportLimitTests {
  @Test("One export per session and two in the server; the next is refused, saying why")
  func slots() throws {
    let slots = ExportSlots(perSession: 1, total: 2)
    let alice = SessionID.random()
    let bob = SessionID.random()
    try slots.acquire(alice)
    let again = #expect(throws: HTTPError.self) { try slots.acquire(alice) }
    #expect(again?.status == .tooManyRequests)
    #expect(again?.body?.contains("already exporting") == true)
    try slots.acquire(bob)
    let third = #expect(throws: HTTPError.self) { try slots.acquire(SessionID.random()) }
    #expect(third?.body?.contains("2 video exports") == true)
    slots.release(alice)
    try slots.acquire(alice)
  }

  @Test("A run longer than a video holds is refused with its number of frames")
  func frameLimit() {
    let limits = VideoLimits()
    #expect(limits.framesRefusal(frames: limits.maximumFrames) == nil)
    #expect(limits.framesRefusal(frames: 20_000)?.contains("20000 frames") == true)
    #expect(limits.sizeRefusal(width: 1280, height: 720) == nil)
  }

  @Test("A video past the frame or size limits is refused before any frame is rendered")
  func caps() async throws {
    try await TestServer().testWithSimulation { client, services in
      let port = try #require(client.port)
      let project = try await client.createProject()
      _ = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 20, "width": 64, "height": 48])
        return await stream.untilDone()
      }
      let runs = try await client.send(.get, "/api/projects/\(project.id)/runs")
      let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
      let large = try await client.send(
        .get, "/api/projects/\(project.id)/runs/\(run)/video?width=1920&height=1080")
      #expect(large.status == .badRequest)
      #expect(large.detail?.contains("1280x720") == true, "\(large.text)")
      #expect(services.videoLimits.maximumFrames == 3600)
    }
  }

  /// ffmpeg processes writing one of the server's exports.
  static func exportingFFmpegs() -> Int {
    let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return pids.filter { pid in
      guard Int(pid) != nil,
        let line = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)
      else { return false }
      return line.contains("ffmpeg") && line.contains("tau-video-")
    }.count
  }

  @Test("An export shows its progress, and ends when its client leaves: slot, worker and ffmpeg")
  func progressAndCancel() async throws {
    try await TestServer().testWithSimulation { client, _ in
      let port = try #require(client.port)
      let project = try await client.createProject()
      _ = try await withStream(port: port, project: project.id) { stream in
        try await stream.send(["max_steps": 600, "width": 64, "height": 48, "speed": 0])
        return await stream.untilDone(timeout: .seconds(120))
      }
      let runs = try await SlowClient(port: port).send(.get, "/api/projects/\(project.id)/runs")
      let run = try #require((runs.object as? [[String: Any]])?.first?["id"] as? String)
      let progressPath = "/api/projects/\(project.id)/runs/\(run)/video/progress"
      #expect(try await SlowClient(port: port).send(.get, progressPath).status == .notFound)

      // The export's client, on a socket of its own that it will close half-way.
      let socket = try await onOwnThread {
        let fd = try LiveServerTests.connectedSocket(port: port)
        let request = Array(
          ("GET /api/projects/\(project.id)/runs/\(run)/video?width=640&height=480 HTTP/1.1\r\n"
            + "Host: localhost:\(port)\r\n\r\n").utf8)
        _ = send(fd, request, request.count, Int32(MSG_NOSIGNAL))
        return fd
      }
      var seen: [String: Int] = [:]
      for _ in 0..<300 {
        let response = try await SlowClient(port: port).send(.get, progressPath)
        if response.status == .ok, let progress = response.object as? [String: Int],
          (progress["frames"] ?? 0) >= 5
        {
          seen = progress
          break
        }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(seen["total"] == 601, "\(seen)")  // the reset state and 600 steps
      #expect((seen["frames"] ?? 0) < 601)
      #expect(Self.exportingFFmpegs() == 1)
      close(socket)

      // Gone within seconds: its progress, its ffmpeg, and its slot (a new export starts).
      var ended = false
      for _ in 0..<100 {
        if try await SlowClient(port: port).send(.get, progressPath).status == .notFound,
          Self.exportingFFmpegs() == 0
        {
          ended = true
          break
        }
        try await Task.sleep(for: .milliseconds(100))
      }
      #expect(ended, "the export went on after its client left")
      let again = try await SlowClient(port: port).send(
        .get, "/api/projects/\(project.id)/runs/\(run)/video?width=64&height=48")
      #expect(again.status == .ok, "\(again.status) \(again.text.prefix(200))")
    }
  }
}
