import Testing

@testable import Assistant

/// A model's answer read robustly; what is not our object is a plain reply.
@Suite("Reply parser")
struct ReplyParserTests {
  static let object =
    #"{"reply": "Done", "proposals": [{"path": "env.py", "new_content": "x = {1}\n", "rationale": "r"}]}"#

  @Test("The object alone, in a code fence, or with prose around it")
  func shapes() {
    for text in [
      Self.object, "```json\n\(Self.object)\n```", "Here you go:\n\(Self.object)\nHope it helps.",
    ] {
      let parsed = ReplyParser.parse(text)
      #expect(parsed.structured && !parsed.truncated, "\(text)")
      #expect(parsed.reply == "Done")
      #expect(
        parsed.proposals == [Proposal(path: "env.py", newContent: "x = {1}\n", rationale: "r")])
    }
  }

  @Test("Invalid JSON is a plain reply with no proposals")
  func notJSON() {
    let parsed = ReplyParser.parse("I think you should raise the gear to 80.")
    #expect(!parsed.structured && parsed.proposals.isEmpty)
    #expect(parsed.reply == "I think you should raise the gear to 80.")
    #expect(ReplyParser.parse(#"{"something": "else"}"#).proposals.isEmpty)
  }

  @Test("A truncated answer keeps its complete proposals and drops the one cut off")
  func truncated() {
    let text =
      #"{"reply": "Two files", "proposals": [{"path": "a.py", "new_content": "a = 1\n", "rationale": "one"}, {"path": "b.py", "new_content": "b = "#
    let parsed = ReplyParser.parse(text)
    #expect(parsed.truncated)
    #expect(parsed.reply == "Two files")
    #expect(parsed.proposals.map(\.path) == ["a.py"])
    let inReply = ReplyParser.parse(#"{"reply": "I was about to say"#)
    #expect(inReply.truncated && inReply.reply == "I was about to say" && inReply.proposals.isEmpty)
  }

  @Test("Proposals outside the project, hidden or binary are refused with why")
  func rules() {
    let sorted = ProposalRules.sort(
      [
        Proposal(path: "../x.py", newContent: "1"), Proposal(path: "/etc/passwd", newContent: "1"),
        Proposal(path: ".tau/chat.json", newContent: "1"),
        Proposal(path: "assets/mesh.stl", newContent: "solid"),
        Proposal(path: "env.py", newContent: "ok"), Proposal(path: "env.py", newContent: "again"),
      ], maxFileBytes: 1 << 20)
    #expect(sorted.accepted.map(\.path) == ["env.py"])
    #expect(
      sorted.refused.map(\.path) == [
        "../x.py", "/etc/passwd", ".tau/chat.json", "assets/mesh.stl", "env.py",
      ])
    #expect(sorted.refused[3].reason.contains("binary"))
  }
}
