import Testing

@testable import Server

@Suite(".env files")
struct DotEnvTests {
  @Test("KEY=value lines, comments, export and quotes; the environment wins")
  func parse() {
    let values = DotEnv.parse(
      """
      # a comment
      OPENAI_API_KEY=sk-file
      export PORT=9000
      PROJECTS_DIR="/data/my projects"
      MUJOCO_GL='egl'
      TAU_SINGLE_USER=0 # trailing comment

      not a line
      """)
    #expect(values["OPENAI_API_KEY"] == "sk-file")
    #expect(values["PORT"] == "9000")
    #expect(values["PROJECTS_DIR"] == "/data/my projects")
    #expect(values["MUJOCO_GL"] == "egl")
    #expect(values["TAU_SINGLE_USER"] == "0")
    #expect(values.count == 5)
    let merged = DotEnv.merged(environment: ["PORT": "7000"], dotEnv: values)
    #expect(merged["PORT"] == "7000")
    #expect(merged["MUJOCO_GL"] == "egl")
  }
}
