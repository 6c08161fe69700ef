import Foundation
import TestSupport
import Testing
import Workers

/// A project's model may only read the project's own files: the server asks the shared,
/// unsandboxed tau worker to compile it confined to the project folder.
@Suite("Models confined to their project")
struct ModelConfinementTests {
  /// A project folder and, beside it, another user's folder with a model and a mesh.
  struct Folders {
    let project: URL
    let outside: URL

    init() throws {
      let parent = try TestPaths.temporaryFolder()
      project = parent.appendingPathComponent("project")
      outside = parent.appendingPathComponent("other")
      for folder in [project, outside] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      }
      try #"<mujoco><worldbody><geom name="secret" size=".1"/></worldbody></mujoco>"#.write(
        to: outside.appendingPathComponent("secret.xml"), atomically: true, encoding: .utf8)
      try FileManager.default.copyItem(
        at: TestPaths.menagerie.appendingPathComponent("franka_emika_panda/assets/hand.stl"),
        to: outside.appendingPathComponent("secret.stl"))
    }

    /// Writes `scene.xml` into the project and returns its path.
    func scene(_ xml: String) throws -> String {
      let url = project.appendingPathComponent("scene.xml")
      try xml.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }
  }

  static func pool() -> WorkerPool {
    WorkerPool(
      command: WorkerCommand(
        executable: TestPaths.tauExecutable, arguments: ["worker", "--mujoco-gl", "osmesa"],
        environment: ["PATH": "/usr/bin:/bin"]),
      maximumWorkers: 1)
  }

  static func mesh(_ file: String, meshdir: String? = nil) -> String {
    let compiler = meshdir.map { #"<compiler meshdir="\#($0)"/>"# } ?? ""
    return #"<mujoco>\#(compiler)<asset><mesh name="m" file="\#(file)"/></asset>"#
      + #"<worldbody><geom type="mesh" mesh="m"/></worldbody></mujoco>"#
  }

  @Test(
    "Every way out of the project is refused as a compile error naming the reference",
    arguments: [
      ("absolute include", #"<mujoco><include file="OUTSIDE/secret.xml"/></mujoco>"#, "absolute"),
      ("include through ..", #"<mujoco><include file="../other/secret.xml"/></mujoco>"#, "outside"),
      (
        "entity-encoded ..", #"<mujoco><include file="&#46;&#46;/other/secret.xml"/></mujoco>"#,
        "outside"
      ),
      ("mesh through ..", mesh("../other/secret.stl"), "outside"),
      ("meshdir outside", mesh("secret.stl", meshdir: "../other"), "outside"),
      ("absolute meshdir", mesh("secret.stl", meshdir: "OUTSIDE"), "absolute"),
      ("linked mesh", mesh("link.stl"), "outside"),
      ("linked folder", mesh("linked/secret.stl"), "outside"),
      (
        "cube texture face",
        #"<mujoco><asset><texture name="t" type="cube" fileup="../other/x.png"/></asset></mujoco>"#,
        "outside"
      ),
      (
        "sub-model",
        #"<mujoco><asset><model name="s" file="../other/secret.xml"/></asset></mujoco>"#,
        "outside"
      ),
      (
        "include hidden after what libxml2 rejects",
        #"<mujoco><!-- a -- b --><include file="../other/secret.xml"/></mujoco>"#, "well-formed"
      ),
    ])
  func refused(name: String, xml: String, reason: String) async throws {
    let folders = try Folders()
    try FileManager.default.createSymbolicLink(
      at: folders.project.appendingPathComponent("link.stl"),
      withDestinationURL: folders.outside.appendingPathComponent("secret.stl"))
    try FileManager.default.createSymbolicLink(
      at: folders.project.appendingPathComponent("linked"), withDestinationURL: folders.outside)
    let path = try folders.scene(
      xml.replacingOccurrences(of: "OUTSIDE", with: folders.outside.path))
    let pool = Self.pool()
    let error = await #expect(throws: WorkerError.self, "\(name)") {
      _ = try await ModelWorkerClient(pool: pool).load(
        .file(path: path, confinedTo: folders.project.path))
    }
    if case .failed(let failure) = error {
      #expect(failure.message.contains(reason), "\(name): \(failure.message)")
      #expect(failure.kind == .compile, "\(name)")
      #expect(failure.line == 1, "\(name): \(failure)")
    } else {
      Issue.record("\(name): expected a compile error, got \(String(describing: error))")
    }
    await pool.shutdown()
  }

  @Test("Unconfined (the command line's own files) the same include loads: the check is real")
  func unconfinedLoads() async throws {
    let folders = try Folders()
    let path = try folders.scene(#"<mujoco><include file="../other/secret.xml"/></mujoco>"#)
    let pool = Self.pool()
    let summary = try await ModelWorkerClient(pool: pool).load(.file(path: path))
    #expect(summary.ngeom == 1)
    await pool.shutdown()
  }

  @Test("Includes, compiler folders and meshes inside the project load")
  func insideLoads() async throws {
    let folders = try Folders()
    let parts = folders.project.appendingPathComponent("parts")
    let assets = folders.project.appendingPathComponent("assets")
    for folder in [parts, assets] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    try FileManager.default.copyItem(
      at: folders.outside.appendingPathComponent("secret.stl"),
      to: assets.appendingPathComponent("hand.stl"))
    try #"<mujoco><worldbody><geom type="mesh" mesh="hand"/></worldbody></mujoco>"#.write(
      to: parts.appendingPathComponent("body.xml"), atomically: true, encoding: .utf8)
    let path = try folders.scene(
      #"<mujoco><compiler meshdir="assets"/><asset><mesh name="hand" file="hand.stl"/></asset>"#
        + #"<include file="parts/body.xml"/></mujoco>"#)
    let pool = Self.pool()
    let summary = try await ModelWorkerClient(pool: pool).load(
      .file(path: path, confinedTo: folders.project.path))
    #expect(summary.ngeom == 1)
    await pool.shutdown()
  }

  @Test(
    "Every Menagerie scene loads confined to its robot's folder",
    arguments: TestPaths.menagerieScenes)
  func menagerie(scene: URL) async throws {
    let pool = Self.pool()
    let summary = try await ModelWorkerClient(pool: pool).load(
      .file(path: scene.path, confinedTo: scene.deletingLastPathComponent().path))
    #expect(summary.nbody > 1)
    await pool.shutdown()
  }
}
