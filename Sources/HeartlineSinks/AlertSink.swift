public import HeartlineCore

/// Somewhere alerts go (SPEC §4 sinks). A sink says when it has taken an alert; until then the
/// alert stays in the outbox and is offered again, so a sink must tolerate seeing an alert twice
/// after a crash between its delivery and the acknowledgement.
public protocol AlertSink: Sendable {
    /// The key the outbox files this sink's alerts under, stable across restarts
    /// (its position and type in the configuration, e.g. `0:stdout`).
    var key: String { get }
    /// The routing filter from the configuration.
    var config: SinkConfig { get }
    /// Delivers one alert.
    ///
    /// - Throws: When the alert was not delivered; it stays queued and is retried.
    func deliver(_ alert: Alert) async throws
}
