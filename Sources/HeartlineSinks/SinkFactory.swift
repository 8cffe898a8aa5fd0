import HeartlineCore

/// Builds the alert sinks of a main configuration from their settings (SPEC §4).
///
/// The one place that turns a `SinkConfig` into a sink, so that the daemon starting and
/// `heartline check --config` validating agree on what can work. `healthchecks` sinks forward
/// heartbeats rather than alerts (``HeartbeatForwarder``), so they make no alert sink.
package enum SinkFactory {
    /// The alert sinks of `configs`, in order, each keyed by its position among all of them.
    ///
    /// - Parameters:
    ///   - configs: The configuration's sinks, `healthchecks` ones among them.
    ///   - environment: The daemon's environment; exec sinks take their `PATH` from it.
    /// - Returns: One sink per configuration entry that is not `healthchecks`.
    /// - Throws: ``SinkError`` for the first sink whose settings cannot work (a bad URL, an empty command).
    package static func makeSinks(
        _ configs: [SinkConfig], environment: [String: String]
    ) throws(SinkError) -> [any AlertSink] {
        var sinks: [any AlertSink] = []
        for (index, config) in configs.enumerated() {
            if let sink = try makeSink(index: index, config: config, environment: environment) {
                sinks.append(sink)
            }
        }
        return sinks
    }

    /// The alert sink for the `index`-th sink of the configuration.
    ///
    /// - Parameters:
    ///   - index: The sink's position in the configuration, part of its key (`2:exec`).
    ///   - config: The sink's settings.
    ///   - environment: The daemon's environment; an exec sink takes its `PATH` from it.
    /// - Returns: The sink, or nil for a `healthchecks` sink.
    /// - Throws: ``SinkError`` with code `configuration` when the settings cannot work; its
    ///   ``SinkError/setting`` names the key at fault.
    package static func makeSink(
        index: Int, config: SinkConfig, environment: [String: String]
    ) throws(SinkError) -> (any AlertSink)? {
        switch config.kind {
        case .stdout: StandardOutputSink(index: index, config: config)
        case .webhook: try WebhookSink(index: index, config: config)
        case .exec: try ExecSink(index: index, config: config, environment: environment)
        case .alertmanager:
            try AlertmanagerSink(
                index: index, config: config,
                repostInterval: .seconds(
                    config.repostInterval ?? Int64(AlertmanagerSink.defaultRepostInterval.components.seconds)))
        case .healthchecks: nil
        }
    }
}
