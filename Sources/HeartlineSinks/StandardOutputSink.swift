import Foundation
public import HeartlineCore

/// The stdout sink: one JSON object per alert per line on standard output, written at once
/// (SPEC §4). The daemon's own log goes to standard error.
public struct StandardOutputSink: AlertSink {
    public let key: String
    public let config: SinkConfig

    /// Creates the sink for the `index`-th sink of the configuration.
    public init(index: Int, config: SinkConfig) {
        self.key = "\(index):stdout"
        self.config = config
    }

    public func deliver(_ alert: Alert) async throws {
        try FileHandle.standardOutput.write(contentsOf: Data((alert.jsonLine + "\n").utf8))
    }
}
