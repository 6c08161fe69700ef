import Foundation
import Hummingbird
import Projects
import Simulation
import Workers

/// The simulation's failures as HTTP statuses with messages that name the problem.
enum SimulationHTTP {
  /// Run look-ups, read off the event loops: an unknown or empty run is a 404 naming it.
  static func runs<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    do {
      return try await BlockingIO.run(body)
    } catch let error as RunError {
      if case .damaged = error {
        throw HTTPError(.unprocessableContent, message: error.description)
      }
      throw HTTPError(.notFound, message: error.description)
    } catch is CocoaError {
      throw HTTPError(.notFound, message: "the run's files are missing")
    }
  }

  /// Worker failures as HTTP: a request the worker refused is the client's
  /// (400); a crash or a time-out is the back end's (502, 504); an episode that left
  /// nothing to picture is the project's (422, with its errors).
  /// Messages name the project's files relative to `project`, never by the server's paths.
  static func worker<T>(project: URL, _ body: () async throws -> T) async throws -> T {
    let relative = { (text: String) in ProjectRelativeText.make(text, project: project.path) }
    do {
      return try await body()
    } catch let error as WorkerError {
      switch error {
      case .failed(let failure):
        throw HTTPError(.badRequest, message: relative(failure.message))
      case .timedOut: throw HTTPError(.gatewayTimeout, message: relative(error.description))
      default: throw HTTPError(.badGateway, message: relative(error.description))
      }
    } catch let error as VideoError {
      throw HTTPError(.badGateway, message: relative(error.description))
    } catch let error as PictureError {
      throw HTTPError(.unprocessableContent, message: relative(error.description))
    }
  }
}
