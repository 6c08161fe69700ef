import Hummingbird

/// Content types of what the server sends: Hummingbird's table by extension, with UTF-8 said
/// for text, plus the two kinds of file it does not know (source maps and notes, which
/// Debian's libraries and the web app ship).
enum MediaTypes {
  /// The API's answers.
  static let json = utf8(.applicationJson).description
  /// Pages.
  static let html = utf8(.textHtml).description

  /// The text types of the files served, with their charset, for `FileMiddleware`.
  static let withCharset: [String: MediaType] = {
    var types: [String: MediaType] = ["map": utf8(.applicationJson), "md": utf8(.textPlain)]
    for fileExtension in ["html", "htm", "js", "mjs", "css", "json", "txt", "xml", "svg"] {
      if let type = MediaType.getMediaType(forExtension: fileExtension) {
        types[fileExtension] = fileExtension == "svg" ? type : utf8(type)
      }
    }
    return types
  }()

  private static func utf8(_ type: MediaType) -> MediaType {
    type.withParameter(name: "charset", value: "utf-8")
  }
}
