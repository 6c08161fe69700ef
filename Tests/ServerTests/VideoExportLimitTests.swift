import Foundation
import Hummingbird
import HummingbirdTesting
import Projects
import Simulation
import TestSupport
import Testing

@testable import Server

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
}
