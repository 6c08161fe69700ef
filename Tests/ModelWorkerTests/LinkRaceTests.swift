import Foundation
import Synchronization
import TestSupport
import Testing
import Workers

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 10.6, as the attack: the project's code swaps a link to another user's file into the
/// project over and over, hoping MuJoCo reads it between the confinement's check and the
/// compile. The worker compiles the bytes the check read, so no timing wins.
@Suite("Links swapped during a compile")
struct LinkRaceTests {
  @Test("A link flipping between a project file and a foreign one never compiles the foreign one")
  func flippingInclude() async throws {
    let folders = try ModelConfinementTests.Folders()
    let project = folders.project
    try #"<mujoco><worldbody><body name="inside"><geom size=".1"/></body></worldbody></mujoco>"#
      .write(to: project.appendingPathComponent("inside.xml"), atomically: true, encoding: .utf8)
    try #"<mujoco><worldbody><body name="secret"><geom size=".1"/></body></worldbody></mujoco>"#
      .write(
        to: folders.outside.appendingPathComponent("secret.xml"), atomically: true,
        encoding: .utf8)
    _ = try folders.scene(#"<mujoco><include file="part.xml"/></mujoco>"#)
    let part = project.appendingPathComponent("part.xml").path
    let staging = project.appendingPathComponent("part.next").path
    let targets = [
      project.appendingPathComponent("inside.xml").path,
      folders.outside.appendingPathComponent("secret.xml").path,
    ]
    symlink(targets[0], part)

    // The attacker: renames a fresh link over part.xml, alternating targets, as fast as it can.
    let stop = Atomic<Bool>(false)
    let flipper = Thread {
      var index = 1
      while !stop.load(ordering: .relaxed) {
        unlink(staging)
        symlink(targets[index], staging)
        rename(staging, part)
        index = 1 - index
      }
    }
    flipper.start()
    defer { stop.store(true, ordering: .relaxed) }

    let pool = ModelConfinementTests.pool()
    let client = ModelWorkerClient(pool: pool, timeout: .seconds(60))
    var compiled = 0
    var refused = 0
    for attempt in 0..<150 {
      // A scene of its own each time: the worker's cache would answer a scene it has seen.
      let scene = project.appendingPathComponent("scene\(attempt).xml").path
      try #"<mujoco><include file="part.xml"/></mujoco>"#.write(
        toFile: scene, atomically: true, encoding: .utf8)
      do {
        let summary = try await client.load(.file(path: scene, confinedTo: project.path))
        #expect(!summary.bodies.contains("secret"), "the foreign file was compiled")
        #expect(summary.bodies.contains("inside"))
        compiled += 1
      } catch WorkerError.failed(let failure) {
        #expect(failure.message.contains("project"), "\(failure.message)")
        refused += 1
      }
    }
    stop.store(true, ordering: .relaxed)
    await pool.shutdown()
    // Both outcomes happened: the race was really run.
    #expect(compiled > 0 && refused > 0, "compiled \(compiled), refused \(refused)")
  }
}
