import AsyncHTTPClient
import NIOCore

/// The server's one client for calls it makes outward (GitHub's contents API; the language
/// models' vendors). Never shut down: it lives as long as the process.
public enum OutboundHTTP {
  /// A refused or failed connection fails its request at once instead of being retried in
  /// the background until the request's deadline: a peer that is down (offline, a local
  /// model server not started) is an answer to report, not a minute-long wait.
  public static let client: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.decompression = .enabled(limit: .ratio(50))
    return HTTPClient(
      eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }()
}
