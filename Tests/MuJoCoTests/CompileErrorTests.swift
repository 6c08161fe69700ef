import Foundation
import MuJoCo
import TestSupport
import Testing

@Suite("Compile errors name the problem")
struct CompileErrorTests {
  @Test("A malformed MJCF names the line of the bad element")
  func malformedNamesLine() throws {
    let folder = try TestPaths.temporaryFolder()
    let file = folder.appendingPathComponent("bad.xml")
    try """
    <mujoco>
      <worldbody>
        <body name="a">
          <geom type="sphere" size="0.1"/>
          <notanelement/>
        </body>
      </worldbody>
    </mujoco>
    """.write(to: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: CompileError.self) { try Model(contentsOf: file.path) }
    #expect(error?.line == 5)
    #expect(error?.file == file.path)
    #expect(error?.message.contains("notanelement") == true)
    #expect(error?.description.hasPrefix("\(file.path):5: ") == true)
  }

  @Test("An unclosed tag names its line")
  func unclosedTagNamesLine() throws {
    let error = #expect(throws: CompileError.self) {
      try Model(
        xml: "<mujoco>\n<worldbody>\n<geom type=\"sphere\" size=\"1\">\n</worldbody>\n</mujoco>")
    }
    #expect(error?.line == 3)
  }

  @Test("A missing mesh names the mesh file")
  func missingMeshNamesFile() throws {
    let folder = try TestPaths.temporaryFolder()
    let file = folder.appendingPathComponent("robot.xml")
    try """
    <mujoco>
      <asset><mesh name="link" file="meshes/link_missing.stl"/></asset>
      <worldbody><geom type="mesh" mesh="link"/></worldbody>
    </mujoco>
    """.write(to: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: CompileError.self) { try Model(contentsOf: file.path) }
    #expect(error?.description.contains("link_missing.stl") == true)
  }

  @Test("A model file that does not exist is a compile error, not a crash")
  func missingFile() {
    let error = #expect(throws: CompileError.self) { try Model(contentsOf: "/nonexistent/x.xml") }
    #expect(error?.file == "/nonexistent/x.xml")
  }

  @Test("An engine error is not mistaken for a line of the user's file")
  func engineErrorHasNoLine() {
    let error = CompileError(
      mujocoMessage: "Error: engine error: mj_stackAlloc: out of memory, at setInertia0, line 1252",
      modelFile: "m.xml")
    #expect(error.line == nil)
  }
}
