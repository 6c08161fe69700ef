import Foundation
import Projects
import TestSupport
import Testing

/// The project store as the server uses it, without HTTP: what a user of the IDE would notice
/// about their projects, their files, their history and their trash.
@Suite("The project store")
struct ProjectStoreTests {
  static func store(limits: ProjectLimits = ProjectLimits()) throws -> ProjectStore {
    try ProjectStore(root: TestPaths.temporaryFolder(), limits: limits)
  }

  /// The folder of a project on disk, for planting what a project's own code could write.
  static func folder(of info: ProjectInfo, in store: ProjectStore) throws -> URL {
    try store.projectURL(session: .local, id: info.id)
  }

  /// The message of a `limitExceeded` error; nil for any other error.
  static func limitMessage(_ error: ProjectError?) -> String? {
    if case .limitExceeded(let message)? = error { return message }
    return nil
  }

  static func isInvalidPath(_ error: ProjectError?) -> Bool {
    if case .invalidPath? = error { return true }
    return false
  }

  static func isInvalidRequest(_ error: ProjectError?) -> Bool {
    if case .invalidRequest? = error { return true }
    return false
  }

  // MARK: Projects

  @Test(
    "A project made from a template lists under its name with the template's files",
    arguments: ProjectTemplate.names)
  func createFromTemplate(template: String) throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: "My \(template)", template: template)
    let files = try ProjectTemplate.named(template).files
    #expect(info.name == "My \(template)")
    #expect(info.files == files.map(\.path).sorted())
    #expect(info.id.rawValue.count == ProjectID.length)
    #expect(try store.listProjects(session: .local) == [info])
    #expect(try store.project(session: .local, id: info.id) == info)
    for file in files {
      #expect(try store.readFile(session: .local, id: info.id, path: file.path) == file.content)
    }
  }

  @Test("Without a name or template a project is an untitled cartpole")
  func defaults() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    #expect(info.name == "untitled")
    let cartpole = try ProjectTemplate.named("cartpole").files
    #expect(info.files == cartpole.map(\.path).sorted())
    let scene = try #require(cartpole.first { $0.path == "scene.xml" })
    #expect(try store.readFile(session: .local, id: info.id, path: "scene.xml") == scene.content)
  }

  @Test("An unknown template or an unusable name is refused and makes no project")
  func refusedCreation() throws {
    let store = try Self.store()
    #expect(throws: ProjectError.unknownTemplate("nope")) {
      try store.createProject(session: .local, name: "x", template: "nope")
    }
    for name in [String(repeating: "n", count: 101), "tab\there"] {
      let error = #expect(throws: ProjectError.self) {
        try store.createProject(session: .local, name: name, template: nil)
      }
      #expect(
        Self.isInvalidRequest(error), "\(name.debugDescription): \(String(describing: error))")
    }
    #expect(try store.listProjects(session: .local).isEmpty)
  }

  @Test("Projects list sorted by name, whatever the case")
  func listOrder() throws {
    let store = try Self.store()
    for name in ["beta", "Alpha", "gamma"] {
      _ = try store.createProject(session: .local, name: name, template: "empty")
    }
    #expect(try store.listProjects(session: .local).map(\.name) == ["Alpha", "beta", "gamma"])
  }

  @Test("Ids that are not ours are refused before the file system; unknown ones are not found")
  func projectIDs() throws {
    let store = try Self.store()
    _ = try store.createProject(session: .local, name: "mine", template: nil)
    for id in [".", "..", "../x", "ABCDEF1234", "xyz", "%2E", "abc", "abcdef0123/.."] {
      #expect(throws: ProjectError.invalidProjectID(id)) { try ProjectID(id) }
    }
    #expect(throws: ProjectError.projectNotFound("abcdef0123")) {
      try store.project(session: .local, id: try ProjectID("abcdef0123"))
    }
    #expect(throws: ProjectError.projectNotFound("abcdef0123")) {
      try store.readFile(session: .local, id: try ProjectID("abcdef0123"), path: "env.py")
    }
  }

  @Test("The project limit per session is enforced with a message that names it")
  func projectCountLimit() throws {
    var limits = ProjectLimits()
    limits.maxProjectsPerSession = 2
    let store = try Self.store(limits: limits)
    for _ in 0..<2 { _ = try store.createProject(session: .local, name: nil, template: nil) }
    let error = #expect(throws: ProjectError.self) {
      try store.createProject(session: .local, name: nil, template: nil)
    }
    #expect(Self.limitMessage(error)?.contains("2 projects") == true)
    #expect(try store.listProjects(session: .local).count == 2)
  }

  // MARK: Sessions

  @Test("A session sees nothing of another session's projects and cannot change them")
  func sessionIsolation() throws {
    let store = try Self.store()
    let alice = SessionID.random()
    let bob = SessionID.random()
    #expect(alice != bob)
    let info = try store.createProject(session: alice, name: "alice's", template: nil)
    try store.writeFile(session: alice, id: info.id, path: "notes.md", content: "mine\n")
    let notFound = ProjectError.projectNotFound(info.id.rawValue)

    #expect(try store.listProjects(session: bob).isEmpty)
    #expect(try store.listProjects(session: .local).isEmpty)
    #expect(throws: notFound) { try store.project(session: bob, id: info.id) }
    #expect(throws: notFound) { try store.readFile(session: bob, id: info.id, path: "notes.md") }
    #expect(throws: notFound) {
      try store.writeFile(session: bob, id: info.id, path: "notes.md", content: "bob's\n")
    }
    #expect(throws: notFound) { try store.history(session: bob, id: info.id, path: "notes.md") }
    #expect(throws: notFound) { try store.exportArchive(session: bob, id: info.id) }
    #expect(throws: notFound) { try store.deleteProject(session: bob, id: info.id) }
    #expect(try store.readFile(session: alice, id: info.id, path: "notes.md") == "mine\n")

    try store.deleteProject(session: alice, id: info.id)
    #expect(try store.trash(session: bob).isEmpty)
    #expect(throws: ProjectError.trashEntryNotFound(info.id.rawValue)) {
      try store.restoreFromTrash(session: bob, id: info.id)
    }
    let back = try store.restoreFromTrash(session: alice, id: info.id)
    #expect(try store.listProjects(session: alice) == [back])
    #expect(try store.listProjects(session: bob).isEmpty)
  }

  @Test("Only `local` and 32 lowercase hex digits are sessions")
  func sessionIDs() {
    #expect(SessionID("local") == SessionID.local)
    let random = SessionID.random()
    #expect(SessionID(random.rawValue) == random)
    for text in ["", "..", "../local", "LOCAL", String(repeating: "A", count: 32), "abc"] {
      #expect(SessionID(text) == nil, "\(text.debugDescription)")
    }
  }

  // MARK: Files

  @Test("A written file reads back, creates its folder and shows in the project's files")
  func writeAndRead() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    try store.writeFile(session: .local, id: info.id, path: "lib/helper.py", content: "X = 1\n")
    #expect(try store.readFile(session: .local, id: info.id, path: "lib/helper.py") == "X = 1\n")
    #expect(
      try store.project(session: .local, id: info.id).files
        == ["env.py", "lib/helper.py", "scene.xml"])
    let onDisk = try Self.folder(of: info, in: store).appendingPathComponent("lib/helper.py")
    #expect(try String(contentsOf: onDisk, encoding: .utf8) == "X = 1\n")

    try store.writeFile(session: .local, id: info.id, path: "lib/helper.py", content: "X = 2\n")
    #expect(try store.readFile(session: .local, id: info.id, path: "lib/helper.py") == "X = 2\n")
  }

  @Test("A missing file is not found, with the path the user gave")
  func missingFile() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    #expect(throws: ProjectError.fileNotFound("nope.py")) {
      try store.readFile(session: .local, id: info.id, path: "nope.py")
    }
    #expect(throws: ProjectError.fileNotFound("no/such/file.py")) {
      try store.readFile(session: .local, id: info.id, path: "no/such/file.py")
    }
  }

  static let pathAttacks = [
    "../escape.py", "../../../../etc/passwd", "/etc/passwd", "/tmp/escape.py", "a/../../b",
    "a//b", "a/", "", "./env.py", "a\\..\\b", "..", ".", ".name", ".tau/history/env.py.v/1",
    "__pycache__/x.pyc", "sub/.hidden", "nul\u{0}byte",
  ]

  @Test("Every path that could leave the project or reach hidden files is refused")
  func pathAttacks() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    for path in Self.pathAttacks {
      let write = #expect(throws: ProjectError.self, "write \(path.debugDescription)") {
        try store.writeFile(session: .local, id: info.id, path: path, content: "pwned")
      }
      #expect(
        Self.isInvalidPath(write), "write \(path.debugDescription): \(String(describing: write))")
      let read = #expect(throws: ProjectError.self, "read \(path.debugDescription)") {
        try store.readFile(session: .local, id: info.id, path: path)
      }
      #expect(
        Self.isInvalidPath(read), "read \(path.debugDescription): \(String(describing: read))")
    }
    let session = store.root.appendingPathComponent("local")
    let escaped = session.appendingPathComponent("escape.py")
    #expect(!FileManager.default.fileExists(atPath: escaped.path))
    #expect(!FileManager.default.fileExists(atPath: store.root.appendingPathComponent("b").path))
    #expect(try store.project(session: .local, id: info.id).files == ["env.py", "scene.xml"])
    #expect(try store.readFile(session: .local, id: info.id, path: "env.py") != "pwned")
  }

  @Test("A link planted in a project is never followed, to a file or to a folder")
  func plantedSymlinks() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    let outside = try TestPaths.temporaryFolder()
    let secret = outside.appendingPathComponent("secret.txt")
    try "secret".write(to: secret, atomically: true, encoding: .utf8)
    let project = try Self.folder(of: info, in: store)
    try FileManager.default.createSymbolicLink(
      atPath: project.appendingPathComponent("linkdir").path, withDestinationPath: outside.path)
    try FileManager.default.createSymbolicLink(
      atPath: project.appendingPathComponent("link.txt").path, withDestinationPath: secret.path)

    for path in ["linkdir/secret.txt", "link.txt"] {
      let read = #expect(throws: ProjectError.self, "read \(path)") {
        try store.readFile(session: .local, id: info.id, path: path)
      }
      #expect(Self.isInvalidPath(read), "read \(path): \(String(describing: read))")
      let write = #expect(throws: ProjectError.self, "write \(path)") {
        try store.writeFile(session: .local, id: info.id, path: path, content: "pwned")
      }
      #expect(Self.isInvalidPath(write), "write \(path): \(String(describing: write))")
    }
    let create = #expect(throws: ProjectError.self) {
      try store.writeFile(session: .local, id: info.id, path: "linkdir/new.txt", content: "x")
    }
    #expect(Self.isInvalidPath(create))
    #expect(try String(contentsOf: secret, encoding: .utf8) == "secret")
    #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("new.txt").path))
    #expect(try store.project(session: .local, id: info.id).files == ["env.py", "scene.xml"])
  }

  @Test("A project folder replaced by a link is not a project")
  func projectFolderSymlink() throws {
    let store = try Self.store()
    let outside = try TestPaths.temporaryFolder()
    try "secret".write(
      to: outside.appendingPathComponent("env.py"), atomically: true, encoding: .utf8)
    let session = store.root.appendingPathComponent("local")
    try FileManager.default.createDirectory(at: session, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: session.appendingPathComponent("abcdef0123").path, withDestinationPath: outside.path)
    #expect(throws: ProjectError.projectNotFound("abcdef0123")) {
      try store.readFile(session: .local, id: try ProjectID("abcdef0123"), path: "env.py")
    }
    #expect(throws: ProjectError.projectNotFound("abcdef0123")) {
      try store.writeFile(
        session: .local, id: try ProjectID("abcdef0123"), path: "env.py", content: "pwned")
    }
    #expect(try store.listProjects(session: .local).isEmpty)
    #expect(
      try String(contentsOf: outside.appendingPathComponent("env.py"), encoding: .utf8) == "secret")
  }

  @Test("Hidden files, __pycache__ and the history are not listed")
  func hiddenNotListed() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "changed\n")
    let project = try Self.folder(of: info, in: store)
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent("__pycache__"), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: project.appendingPathComponent("__pycache__/env.pyc"))
    try Data("x".utf8).write(to: project.appendingPathComponent(".secret"))
    #expect(try store.project(session: .local, id: info.id).files == ["env.py", "scene.xml"])
  }

  @Test("A file that is not UTF-8 text is refused as binary, not garbled")
  func binaryFile() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    let mesh = try Self.folder(of: info, in: store).appendingPathComponent("mesh.stl")
    try Data([0x00, 0xFF, 0xFE, 0x00, 0x80]).write(to: mesh)
    #expect(throws: ProjectError.binaryFile("mesh.stl")) {
      try store.readFile(session: .local, id: info.id, path: "mesh.stl")
    }
  }

  @Test("File size and file count limits are enforced with messages that name them")
  func fileLimits() throws {
    var limits = ProjectLimits()
    limits.maxFileBytes = 1024
    limits.maxFilesPerProject = 3
    let store = try Self.store(limits: limits)
    let info = try store.createProject(session: .local, name: nil, template: "empty")
    let big = #expect(throws: ProjectError.self) {
      try store.writeFile(
        session: .local, id: info.id, path: "big.txt", content: String(repeating: "a", count: 1500))
    }
    #expect(Self.limitMessage(big)?.contains("1 KiB") == true)

    try store.writeFile(session: .local, id: info.id, path: "a.txt", content: "a")
    let fourth = #expect(throws: ProjectError.self) {
      try store.writeFile(session: .local, id: info.id, path: "b.txt", content: "b")
    }
    #expect(Self.limitMessage(fourth)?.contains("3 files") == true)
    #expect(
      try store.project(session: .local, id: info.id).files == ["a.txt", "env.py", "scene.xml"])
  }

  @Test("The project size limit counts what the project would hold after the write")
  func projectSizeLimit() throws {
    var limits = ProjectLimits()
    limits.maxProjectBytes = 8 * 1024
    let store = try Self.store(limits: limits)
    let info = try store.createProject(session: .local, name: nil, template: "empty")
    let chunk = String(repeating: "x", count: 3000)
    try store.writeFile(session: .local, id: info.id, path: "one.txt", content: chunk)
    // Replacing a file counts its new size, not both.
    try store.writeFile(session: .local, id: info.id, path: "one.txt", content: chunk + "y")
    let error = #expect(throws: ProjectError.self) {
      try store.writeFile(
        session: .local, id: info.id, path: "two.txt", content: chunk + chunk)
    }
    #expect(Self.limitMessage(error)?.contains("project size") == true)
    let files = try store.project(session: .local, id: info.id).files
    #expect(files == ["env.py", "one.txt", "scene.xml"])
  }

  // MARK: History

  @Test("Each overwrite keeps the previous content; a version can be restored, keeping the current")
  func history() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    let original = try store.readFile(session: .local, id: info.id, path: "env.py")
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "v2\n")
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "v3\n")

    let versions = try store.history(session: .local, id: info.id, path: "env.py")
    #expect(versions.map(\.version) == ["2", "1"])
    #expect(versions.map(\.size) == [3, original.utf8.count])

    try store.restoreVersion(session: .local, id: info.id, path: "env.py", version: "1")
    #expect(try store.readFile(session: .local, id: info.id, path: "env.py") == original)
    let after = try store.history(session: .local, id: info.id, path: "env.py")
    #expect(after.map(\.version) == ["3", "2", "1"])

    // Undo the restore: version 3 holds what the restore replaced.
    try store.restoreVersion(session: .local, id: info.id, path: "env.py", version: "3")
    #expect(try store.readFile(session: .local, id: info.id, path: "env.py") == "v3\n")
  }

  @Test("Saving the same content again adds no version")
  func unchangedSave() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "same\n")
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "same\n")
    #expect(try store.history(session: .local, id: info.id, path: "env.py").count == 1)
  }

  @Test("A file keeps only its newest versions, as many as the limit says")
  func historyLimit() throws {
    var limits = ProjectLimits()
    limits.historyVersionsPerFile = 2
    let store = try Self.store(limits: limits)
    let info = try store.createProject(session: .local, name: nil, template: nil)
    for content in ["a\n", "b\n", "c\n", "d\n"] {
      try store.writeFile(session: .local, id: info.id, path: "env.py", content: content)
    }
    let versions = try store.history(session: .local, id: info.id, path: "env.py")
    #expect(versions.map(\.version) == ["4", "3"])
    try store.restoreVersion(session: .local, id: info.id, path: "env.py", version: "3")
    #expect(try store.readFile(session: .local, id: info.id, path: "env.py") == "b\n")
  }

  @Test("A file never overwritten has no history, and unknown versions are not found")
  func unknownVersions() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: nil, template: nil)
    #expect(try store.history(session: .local, id: info.id, path: "scene.xml").isEmpty)
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "v2\n")
    for path in ["scene.xml", "env.py"] {
      for version in ["9", "0", "-1", "../1", "abc", "01"] {
        #expect(throws: ProjectError.versionNotFound(path: path, version: version)) {
          try store.restoreVersion(session: .local, id: info.id, path: path, version: version)
        }
      }
    }
    #expect(throws: ProjectError.self) {
      try store.history(session: .local, id: info.id, path: "../x")
    }
  }

  // MARK: Trash

  @Test("A deleted project goes to the trash and comes back whole")
  func trashRestores() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: "keep me", template: nil)
    try store.writeFile(session: .local, id: info.id, path: "notes.md", content: "hello\n")
    try store.deleteProject(session: .local, id: info.id)
    #expect(throws: ProjectError.projectNotFound(info.id.rawValue)) {
      try store.project(session: .local, id: info.id)
    }
    #expect(try store.listProjects(session: .local).isEmpty)

    let trash = try store.trash(session: .local)
    #expect(trash.map(\.id) == [info.id])
    #expect(trash.first?.name == "keep me")

    let restored = try store.restoreFromTrash(session: .local, id: info.id)
    #expect(restored.id == info.id && restored.name == "keep me")
    #expect(restored.files == ["env.py", "notes.md", "scene.xml"])
    #expect(try store.readFile(session: .local, id: info.id, path: "notes.md") == "hello\n")
    #expect(try store.trash(session: .local).isEmpty)
    #expect(throws: ProjectError.trashEntryNotFound(info.id.rawValue)) {
      try store.restoreFromTrash(session: .local, id: info.id)
    }
  }

  @Test("The trash lists the most recently deleted project first")
  func trashOrder() throws {
    let store = try Self.store()
    let first = try store.createProject(session: .local, name: "first", template: nil)
    let second = try store.createProject(session: .local, name: "second", template: nil)
    try store.deleteProject(session: .local, id: first.id)
    try store.deleteProject(session: .local, id: second.id)
    #expect(try store.trash(session: .local).map(\.name) == ["second", "first"])
  }

  @Test("Trash entries older than the retention are purged")
  func trashPurge() async throws {
    var limits = ProjectLimits()
    limits.trashRetention = 0
    let store = try Self.store(limits: limits)
    let info = try store.createProject(session: .local, name: nil, template: nil)
    try store.deleteProject(session: .local, id: info.id)
    try await Task.sleep(for: .milliseconds(20))
    #expect(try store.trash(session: .local).isEmpty)
    #expect(throws: ProjectError.trashEntryNotFound(info.id.rawValue)) {
      try store.restoreFromTrash(session: .local, id: info.id)
    }
  }

  // MARK: Archives

  @Test("A project's archive imports as a new project with the same files")
  func archiveRoundTrip() throws {
    let store = try Self.store()
    let info = try store.createProject(session: .local, name: "original", template: nil)
    try store.writeFile(session: .local, id: info.id, path: "lib/helper.py", content: "X = 1\n")
    try store.writeFile(session: .local, id: info.id, path: "env.py", content: "changed\n")
    let archive = try store.exportArchive(session: .local, id: info.id)

    let copy = try store.importArchive(session: .local, name: "copy", archive: archive)
    #expect(copy.id != info.id)
    #expect(copy.name == "copy")
    #expect(copy.files == ["env.py", "lib/helper.py", "scene.xml"])
    for path in copy.files {
      #expect(
        try store.readFile(session: .local, id: copy.id, path: path)
          == store.readFile(session: .local, id: info.id, path: path))
    }
    // The history stays with the original.
    #expect(try store.history(session: .local, id: copy.id, path: "env.py").isEmpty)
    #expect(try store.listProjects(session: .local).map(\.name) == ["copy", "original"])
  }
}

@Suite("Leftovers of interrupted writes")
struct LeftoverTests {
  @Test("Temporary files and half-built projects left by a kill are removed; nothing else is")
  func removesOnlyLeftovers() throws {
    let root = try TestPaths.temporaryFolder()
    let store = try ProjectStore(root: root)
    let info = try store.createProject(session: .local, name: "kept", template: "empty")
    let project = try store.projectURL(session: .local, id: info.id)
    let session = project.deletingLastPathComponent()
    try "half".write(
      to: project.appendingPathComponent(".tau-tmp-0123abcd"), atomically: false,
      encoding: .utf8)
    try FileManager.default.createDirectory(
      at: session.appendingPathComponent(".tau-tmp-staging/lib"),
      withIntermediateDirectories: true)
    try "x".write(
      to: session.appendingPathComponent(".tau-tmp-staging/lib/a.py"), atomically: false,
      encoding: .utf8)
    #expect(store.removeLeftovers() == 2)
    let sessionNames = try FileManager.default.contentsOfDirectory(atPath: session.path)
    #expect(!sessionNames.contains { $0.hasPrefix(".tau-tmp-") })
    let projectNames = try FileManager.default.contentsOfDirectory(atPath: project.path)
    #expect(!projectNames.contains { $0.hasPrefix(".tau-tmp-") })
    #expect(try store.project(session: .local, id: info.id).name == "kept")
    #expect(store.removeLeftovers() == 0)
  }
}

@Suite("Hard links planted in a project")
struct HardLinkTests {
  @Test("A hard link to a file outside the project is not read")
  func notRead() throws {
    let store = try ProjectStore(root: try TestPaths.temporaryFolder())
    let info = try store.createProject(session: .local, name: "p", template: "empty")
    let project = try store.projectURL(session: .local, id: info.id)
    let secret = store.root.appendingPathComponent("secret.txt")
    try "the server's secret".write(to: secret, atomically: false, encoding: .utf8)
    try FileManager.default.linkItem(at: secret, to: project.appendingPathComponent("notes.txt"))
    #expect(throws: ProjectError.self) {
      try store.readFile(session: .local, id: info.id, path: "notes.txt")
    }
    // Writing replaces the name, never the linked file.
    try store.writeFile(session: .local, id: info.id, path: "notes.txt", content: "mine")
    #expect(try String(contentsOf: secret, encoding: .utf8) == "the server's secret")
  }
}

@Suite("Paths no deeper than the walk reads")
struct PathDepthTests {
  @Test("A file deeper than the walk counts is refused, one at the deepest is counted")
  func depth() throws {
    let store = try ProjectStore(root: try TestPaths.temporaryFolder())
    let info = try store.createProject(session: .local, name: "p", template: "empty")
    let deepest = Array(repeating: "d", count: SafePath.maxFolderDepth).joined(separator: "/")
    try store.writeFile(session: .local, id: info.id, path: deepest + "/a.txt", content: "x")
    #expect(try store.project(session: .local, id: info.id).files.contains(deepest + "/a.txt"))
    #expect(throws: ProjectError.self) {
      try store.writeFile(session: .local, id: info.id, path: deepest + "/d/b.txt", content: "x")
    }
  }
}
