import Hummingbird
import Logging
import Projects

/// Turns every error a route or middleware throws into `{"detail": "..."}` with its status,
/// so clients of the original see the same error shape. Unexpected errors are logged and
/// answered with a 500 that reveals nothing.
struct ErrorDetailMiddleware: RouterMiddleware {
  typealias Context = TauRequestContext
  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch let error as ProjectError {
      if case .io = error {
        context.logger.error("\(request.method) \(request.uri.path): \(error.message)")
      }
      return .detail(error.detail, status: error.status)
    } catch let error as HTTPError {
      var response = Response.detail(
        error.body ?? error.status.reasonPhrase, status: error.status)
      for field in error.headers { response.headers.append(field) }
      return response
    } catch let error as any HTTPResponseError {
      return .detail(error.status.reasonPhrase, status: error.status)
    } catch {
      context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
      return .detail("internal server error", status: .internalServerError)
    }
  }
}
