/// A starting point for a new project: a name and the files it writes.
///
/// Each template lives in its own file under `Templates/` as Swift string literals, so the
/// binary carries them and no template folder has to be found at run time.
public struct ProjectTemplate: Sendable {
  /// One file of a template: a project-relative path and its text.
  public struct File: Sendable {
    public let path: String
    public let content: String
  }

  /// The template's name, as `POST /api/projects` takes it.
  public let name: String
  /// One line for a picker.
  public let summary: String
  public let files: [File]

  /// The template used when a request names none.
  public static let defaultName = "cartpole"

  /// Every template, the default first.
  public static let all: [ProjectTemplate] = [.cartpole, .pendulum, .empty]

  /// The names of every template.
  public static var names: [String] { all.map(\.name) }

  /// The template called `name`; `ProjectError.unknownTemplate` if there is none.
  public static func named(_ name: String) throws -> ProjectTemplate {
    guard let template = all.first(where: { $0.name == name }) else {
      throw ProjectError.unknownTemplate(name)
    }
    return template
  }
}
