import Simulation
import Testing
import Workers

@Suite("The stream's first message")
struct EpisodeSettingsTests {
  @Test("No message means the original's defaults")
  func defaults() throws {
    let settings = try EpisodeSettings(message: [:])
    #expect(settings.maxSteps == 1000)
    #expect(settings.fps == 30)
    #expect(settings.width == 480 && settings.height == 360)
    #expect(settings.speed == 1)
    #expect(!settings.binary)
    // The original's sequence: no reset picture, no frame dropped.
    #expect(!settings.resetFrames && !settings.latest)
  }

  @Test("The original's fields and ours are read")
  func fields() throws {
    let settings = try EpisodeSettings(message: [
      "max_steps": 300, "fps": 60, "width": 640, "height": 480, "binary": true, "speed": 0,
      "render": "high", "camera": .object(["azimuth": 90, "distance": 3]),
      "jpeg_quality": 90, "reset_frames": true, "latest": true,
    ])
    #expect(settings.resetFrames && settings.latest)
    #expect(settings.maxSteps == 300 && settings.fps == 60)
    #expect(settings.width == 640 && settings.height == 480)
    #expect(settings.binary && settings.speed == 0 && settings.quality == .high)
    #expect(settings.jpegQuality == 90)
    #expect(settings.camera == .orbit(azimuth: 90, elevation: nil, distance: 3, lookat: nil))
  }

  @Test(
    "Out-of-range or mistyped values are refused with the field named",
    arguments: [
      ("fps", JSONValue.number(0)), ("fps", 241), ("max_steps", 0), ("max_steps", 100_001),
      ("width", 15), ("width", 1921), ("height", 1081), ("jpeg_quality", 5), ("fps", "fast"),
      ("fps", 2.5), ("speed", -1), ("binary", "yes"), ("render", "ultra"),
      ("reset_frames", 1), ("latest", "yes"),
      ("max_steps", 1e300), ("width", -1e300),
    ] as [(String, JSONValue)])
  func refused(field: String, value: JSONValue) {
    let error = #expect(throws: SettingsError.self) {
      try EpisodeSettings(message: [field: value])
    }
    let expectedName = field == "render" ? "render" : field
    #expect(error?.description.contains(expectedName) == true)
  }

  @Test("Controls are read from client messages")
  func controls() throws {
    #expect(try EpisodeControl(message: ["type": "pause"]) == .pause)
    #expect(try EpisodeControl(message: ["type": "speed", "value": 2]) == .speed(2))
    #expect(
      try EpisodeControl(message: ["type": "camera", "camera": "side"]) == .camera(.named("side")))
    #expect(throws: SettingsError.self) { try EpisodeControl(message: ["type": "explode"]) }
    #expect(throws: SettingsError.self) {
      try EpisodeControl(message: ["type": "speed", "value": "x"])
    }
  }
}
