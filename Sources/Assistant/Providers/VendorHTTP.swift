import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Outbound

/// One vendor's HTTP exchanges through `OutboundHTTP.client`: JSON out, `extraHeaders` on
/// every request, retries of 429, 5xx and 529 as `settings.retry` says (the vendor's
/// `Retry-After` honoured), each attempt bounded by `settings.totalTimeout` with its
/// streaming included, and every failure a `ProviderError` that names the vendor and never
/// the key. Cancelling the calling task cancels the request in flight.
struct VendorHTTP: Sendable {
  let provider: ProviderID
  let settings: ProviderSettings

  /// The largest answer read (a reply, a model list, a whole stream).
  static let maximumBody = 32 << 20

  /// The key; nil for a server that works without one. Throws when one is needed and
  /// there is none, before anything is sent.
  func key() throws -> String? {
    if let key = settings.apiKey, !key.isEmpty { return key }
    if settings.keyOptional { return nil }
    throw ProviderError(
      .missingKey, provider: provider,
      "no API key for \(provider.displayName): set \(settings.keyVariable) "
        + "(or send your own key)")
  }

  /// POSTs the JSON `body` to `url` and hands a 2xx answer's body to `read`.
  /// `structured`: the body asks for structured output (a 400 may mean it is unsupported).
  /// `streaming`: the answer is an event stream.
  func post<T: Sendable>(
    _ url: String, headers: HTTPHeaders, key: String?, json body: Data,
    structured: Bool = false, streaming: Bool = false,
    read: @escaping @Sendable (HTTPClientResponse.Body) async throws -> T
  ) async throws -> T {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers = self.headers(headers, accept: streaming ? "text/event-stream" : nil)
    request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: body))
    return try await exchange(request, key: key, structured: structured, read: read)
  }

  /// GETs `url` and returns the whole 2xx body.
  func get(_ url: String, headers: HTTPHeaders, key: String?) async throws -> Data {
    var request = HTTPClientRequest(url: url)
    request.method = .GET
    request.headers = self.headers(headers, accept: nil)
    return try await exchange(request, key: key, structured: false) { try await collect($0) }
  }

  /// A 2xx body in full.
  func collect(_ body: HTTPClientResponse.Body) async throws -> Data {
    do {
      return Data(try await body.collect(upTo: Self.maximumBody).readableBytesView)
    } catch is NIOTooManyBytesError {
      throw ProviderError(
        .badResponse, provider: provider,
        "\(provider.displayName)'s answer is larger than \(Self.maximumBody >> 20) MiB")
    } catch {
      throw transportError(error, whileReading: true)
    }
  }

  /// `data` decoded as `T`, or a `.badResponse` saying what was expected.
  func decode<T: Decodable>(_ type: T.Type, from data: Data, expected: String) throws -> T {
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch {
      throw ProviderError(
        .badResponse, provider: provider,
        "\(provider.displayName)'s answer could not be read (not \(expected))")
    }
  }

  /// A request body as JSON text (keys sorted, so a request is the same bytes each time).
  static func json(_ object: [String: Any]) throws -> Data {
    try JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
  }

  /// `text` percent-encoded for a path segment or a query value.
  static func component(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  private func headers(_ own: HTTPHeaders, accept: String?) -> HTTPHeaders {
    var headers = HTTPHeaders()
    headers.add(name: "User-Agent", value: "tau-sim")
    headers.add(name: "Accept", value: accept ?? "application/json")
    for (name, value) in settings.extraHeaders.sorted(by: { $0.key < $1.key }) {
      headers.replaceOrAdd(name: name, value: value)
    }
    for (name, value) in own { headers.replaceOrAdd(name: name, value: value) }
    return headers
  }

  private func exchange<T: Sendable>(
    _ request: HTTPClientRequest, key: String?, structured: Bool,
    read: @escaping @Sendable (HTTPClientResponse.Body) async throws -> T
  ) async throws -> T {
    let attempts = max(settings.retry.attempts, 1)
    var attempt = 1
    while true {
      do {
        return try await bounded {
          try await once(request, key: key, structured: structured, read: read)
        }
      } catch let failure as VendorFailure {
        guard failure.retryable, attempt < attempts else {
          throw failure.error(provider: provider, attempts: attempt)
        }
        try await Task.sleep(
          for: settings.retry.delay(attempt: attempt, retryAfter: failure.retryAfter))
        attempt += 1
      }
    }
  }

  private func once<T: Sendable>(
    _ request: HTTPClientRequest, key: String?, structured: Bool,
    read: @Sendable (HTTPClientResponse.Body) async throws -> T
  ) async throws -> T {
    let response: HTTPClientResponse
    do {
      response = try await OutboundHTTP.client.execute(
        request, timeout: Self.timeAmount(settings.totalTimeout))
    } catch {
      throw transportError(error, whileReading: false)
    }
    let status = Int(response.status.code)
    guard (200..<300).contains(status) else {
      let body = await Self.prefix(of: response.body, limit: VendorText.scannedErrorBytes)
      try Task.checkCancellation()
      throw VendorFailure(
        provider: provider, status: status, headers: response.headers, body: body, key: key,
        structured: structured)
    }
    return try await read(response.body)
  }

  /// `operation` raced against `settings.totalTimeout`; the loser is cancelled (which
  /// cancels its HTTP request).
  private func bounded<T: Sendable>(
    _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let limit = settings.totalTimeout
    let timeout = ProviderError(
      .timeout, provider: provider,
      "\(provider.displayName) did not answer within \(Self.words(limit))")
    return try await withThrowingTaskGroup(of: T.self) { group in
      group.addTask { try await operation() }
      group.addTask {
        try await Task.sleep(for: limit)
        throw timeout
      }
      defer { group.cancelAll() }
      guard let result = try await group.next() else { throw CancellationError() }
      return result
    }
  }

  /// A failure of the connection (no answer, or an answer cut off) in words.
  func transportError(_ error: any Error, whileReading: Bool) -> any Error {
    if error is CancellationError || Task.isCancelled { return CancellationError() }
    if error is ProviderError { return error }
    let name = provider.displayName
    let host = URL(string: settings.baseURL)?.host ?? settings.baseURL
    if let error = error as? HTTPClientError {
      if error == .cancelled { return CancellationError() }
      if error == .deadlineExceeded {
        return ProviderError(
          .timeout, provider: provider,
          "\(name) did not answer within \(Self.words(settings.totalTimeout))")
      }
      if error == .readTimeout {
        return ProviderError(.timeout, provider: provider, "\(name) stopped sending")
      }
      if error == .connectTimeout {
        return ProviderError(
          .unreachable, provider: provider,
          "\(name) could not be reached at \(host) (the connection timed out)")
      }
    }
    if whileReading {
      return ProviderError(
        .badResponse, provider: provider, "\(name)'s answer broke off (the connection closed)")
    }
    let words = String(describing: error).lowercased()
    let reason =
      if words.contains("refused") {
        "connection refused"
      } else if words.contains("resolve") || words.contains("dns") || words.contains("host") {
        "the name did not resolve"
      } else if words.contains("ssl") || words.contains("tls") || words.contains("certificate") {
        "the secure connection failed"
      } else {
        VendorText.quoted(String(describing: error), key: settings.apiKey)
      }
    return ProviderError(
      .unreachable, provider: provider, "\(name) could not be reached at \(host) (\(reason))")
  }

  /// The first `limit` bytes of an error body, or what arrived before it broke off.
  private static func prefix(of body: HTTPClientResponse.Body, limit: Int) async -> Data {
    var data = Data()
    do {
      for try await chunk in body {
        data.append(contentsOf: chunk.readableBytesView.prefix(limit - data.count))
        if data.count >= limit { break }
      }
    } catch {
      // What arrived is all there is to quote; the status already says what happened.
    }
    return data
  }

  static func timeAmount(_ duration: Duration) -> TimeAmount {
    let (seconds, attoseconds) = duration.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }

  /// "180 seconds", "0.25 seconds".
  static func words(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    if attoseconds == 0 { return seconds == 1 ? "1 second" : "\(seconds) seconds" }
    let value = Double(seconds) + Double(attoseconds) / 1e18
    return "\((value * 1000).rounded() / 1000) seconds"
  }
}
