import HeartlineSources
import HeartlineSystemd

/// What the daemon's processing loop reacts to, from every source, in one stream.
enum DaemonInput: Sendable {
    /// Lines or file events from the file follower.
    case file(FileEvent)
    /// Entries or status from the journal source.
    case journal(JournalEvent)
    /// The clock ticked: let time pass if the sources are idle, ping the watchdog.
    case tick
    /// SIGHUP: reload the configuration and the patterns.
    case reload
    /// A reloaded configuration is read and compiled: switch to it.
    case reloaded(PreparedConfiguration)
    /// The reloaded configuration is bad: keep the running one.
    case reloadFailed(String)
    /// Graceful shutdown: save state and stop.
    case shutdown
}
