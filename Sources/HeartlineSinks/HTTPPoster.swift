package import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one HTTP POST for a sink, under a hard time limit, and reports failure as a ``SinkError``.
///
/// Redirects are not followed (a 3xx answer is a failure), because following one would send the
/// configured headers, secrets among them, to wherever the receiver points. No cookies are kept and
/// nothing is cached. Errors never carry Foundation's own error, whose text includes the full URL.
package struct HTTPPoster: Sendable {
    /// Where to post.
    let url: URL
    /// Headers sent with every request, after `Content-Type: application/json`.
    let headers: [String: String]
    /// The limit on one whole exchange: connecting, sending and receiving the answer.
    let timeout: Duration
    /// The sink's redacted description, for errors.
    let sinkName: String
    private let session: Session

    /// Creates a poster with its own URL session.
    package init(url: URL, headers: [String: String], timeout: Duration, sinkName: String) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.sinkName = sinkName
        self.session = Session(timeout: timeout)
    }

    /// Posts `body` and returns once the receiver answered 2xx.
    ///
    /// - Parameter body: The request body, sent as `application/json`.
    /// - Throws: ``SinkError`` (`transport`, `timeout`, `rejected`), or `CancellationError` when the
    ///   calling task was cancelled.
    package func post(_ body: Data) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.timeoutInterval = Self.seconds(timeout)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("heartline", forHTTPHeaderField: "User-Agent")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }

        let exchange = Exchange()
        let (outcome, expired) = await withTaskCancellationHandler {
            await TimeLimit.run(limit: timeout, stop: { exchange.cancel() }) {
                await withCheckedContinuation { continuation in
                    let task = session.urlSession.dataTask(with: request) { _, response, error in
                        let status = (response as? HTTPURLResponse)?.statusCode
                        exchange.finish()
                        continuation.resume(returning: Outcome(status: status, error: error.map(Self.urlErrorCode)))
                    }
                    exchange.start(task)
                }
            }
        } onCancel: {
            _ = exchange.cancel()
        }
        if let status = outcome.status, outcome.error == nil {
            guard (200..<300).contains(status) else {
                let note = (300..<400).contains(status) ? " (redirects are not followed)" : ""
                throw SinkError(
                    code: .rejected, sink: sinkName, message: "the receiver answered HTTP \(status)\(note)",
                    httpStatus: status)
            }
            return
        }
        if expired || outcome.error == .timedOut {
            throw SinkError(code: .timeout, sink: sinkName, message: "no answer within \(timeout)")
        }
        try Task.checkCancellation()
        throw SinkError(code: .transport, sink: sinkName, message: Self.describe(outcome.error))
    }

    /// What a request ended with: the answer's status, or the URL error's code.
    private struct Outcome: Sendable {
        var status: Int?
        var error: URLError.Code?
    }

    private static func urlErrorCode(_ error: any Error) -> URLError.Code {
        (error as? URLError)?.code ?? URLError.Code(rawValue: (error as NSError).code) ?? .unknown
    }

    /// Words for a transport failure; Foundation's own message is not used because it holds the URL.
    private static func describe(_ code: URLError.Code?) -> String {
        switch code {
        case .cannotConnectToHost?: "connection refused"
        case .cannotFindHost?, .dnsLookupFailed?: "host not found"
        case .networkConnectionLost?: "the connection closed before an answer came"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
            .serverCertificateHasUnknownRoot?, .serverCertificateNotYetValid?:
            "the TLS handshake failed"
        case .badServerResponse?: "the answer was not valid HTTP"
        case .cancelled?: "the request was cancelled"
        case let code?: "the request failed (URLError \(code.rawValue))"
        case nil: "the request failed without an answer"
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

extension HTTPPoster {
    /// A URL session of the poster's own, invalidated when the last copy of the poster goes away.
    private final class Session: Sendable {
        let urlSession: URLSession

        init(timeout: Duration) {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpCookieStorage = nil
            configuration.httpShouldSetCookies = false
            configuration.urlCache = nil
            configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
            configuration.timeoutIntervalForRequest = HTTPPoster.seconds(timeout)
            configuration.timeoutIntervalForResource = HTTPPoster.seconds(timeout)
            urlSession = URLSession(configuration: configuration, delegate: RefuseRedirects(), delegateQueue: nil)
        }

        deinit {
            urlSession.finishTasksAndInvalidate()
        }
    }

    /// Answers every redirect with "do not follow", so the 3xx itself becomes the response.
    private final class RefuseRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    /// One request's task, which a time limit or a cancelled caller may cancel at any moment:
    /// before the task exists, while it runs, or after it completed.
    private final class Exchange: Sendable {
        private enum State {
            case waiting
            case running(URLSessionDataTask)
            case cancelled
            case finished
        }

        private let state = Mutex(State.waiting)

        func start(_ task: URLSessionDataTask) {
            let cancelledEarly = state.withLock { state in
                guard case .waiting = state else { return true }
                state = .running(task)
                return false
            }
            // Resumed even when already cancelled, so that its completion handler runs and the
            // caller waiting on it returns.
            task.resume()
            if cancelledEarly { task.cancel() }
        }

        func finish() {
            state.withLock { $0 = .finished }
        }

        /// Cancels the request; returns whether it was still unanswered.
        func cancel() -> Bool {
            let (unanswered, task): (Bool, URLSessionDataTask?) = state.withLock { state in
                switch state {
                case .waiting:
                    state = .cancelled
                    return (true, nil)
                case .running(let task):
                    state = .cancelled
                    return (true, task)
                case .cancelled, .finished:
                    return (false, nil)
                }
            }
            task?.cancel()
            return unanswered
        }
    }
}
