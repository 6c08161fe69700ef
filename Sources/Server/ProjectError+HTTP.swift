import Hummingbird
import Projects

/// The one place where project errors become HTTP statuses.
extension ProjectError {
  var status: HTTPResponse.Status {
    switch self {
    case .projectNotFound, .fileNotFound, .versionNotFound, .trashEntryNotFound: .notFound
    case .invalidProjectID, .invalidPath, .invalidRequest, .unknownTemplate, .invalidArchive:
      .badRequest
    case .fileExists: .conflict
    case .limitExceeded: .contentTooLarge
    case .storageFull: .init(code: 507, reasonPhrase: "Insufficient Storage")
    case .binaryFile: .unsupportedMediaType
    case .io: .internalServerError
    }
  }

  /// The user-facing message; I/O details stay in the log.
  var detail: String {
    if case .io = self { return "the server could not read or write the project files" }
    return message
  }
}
