import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Reads `/api/v1/jobs` from a running daemon, for `heartline status`.
public struct StatusClient: Sendable {
    /// The daemon's base URL, such as `http://127.0.0.1:9464`.
    public var baseURL: String
    /// How long to wait for an answer, in seconds.
    public var timeout: Double

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - baseURL: The daemon's base URL (`http.listen` of its configuration, with `http://`).
    ///   - timeout: How long to wait for an answer, in seconds.
    public init(baseURL: String, timeout: Double = 5) {
        self.baseURL = baseURL
        self.timeout = timeout
    }

    /// Fetches every job's status.
    ///
    /// - Returns: The jobs, in the daemon's order.
    /// - Throws: ``StatusClientError`` when the URL is bad, nothing answers, or the answer is not
    ///   the jobs list.
    public func jobs() async throws(StatusClientError) -> [JobReport] {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let address = base + "/api/v1/jobs"
        guard let given = URL(string: baseURL), let scheme = given.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = given.host, !host.isEmpty, let url = URL(string: address)
        else {
            throw StatusClientError(.badURL, "\(baseURL): expected a URL such as http://127.0.0.1:9464")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: timeout))
        } catch {
            throw StatusClientError(
                .noAnswer,
                "no answer from \(address) (\(error.localizedDescription)); is 'heartline run' running, "
                    + "and does --url match 'http: { listen: ... }' in its configuration?",
                underlying: error)
        }
        let code = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard code == 200 else {
            throw StatusClientError(.badAnswer, "\(address) answered HTTP \(code); is this a Heartline daemon?")
        }
        do {
            return try JSONDecoder().decode([JobReport].self, from: data)
        } catch {
            throw StatusClientError(
                .badAnswer, "\(address) answered with something other than the jobs list: \(error)",
                underlying: error)
        }
    }
}
