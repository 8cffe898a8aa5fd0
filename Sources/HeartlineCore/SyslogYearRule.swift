/// How a year-less stamp (BSD syslog `Mon dd HH:MM:SS`, or a strftime pattern without `%Y`/`%y`)
/// gets its year.
///
/// Replay and the daemon differ here (SPEC §3 and §4): a recorded log is read front to back from a
/// known first year, while the daemon reads lines written moments ago.
public enum SyslogYearRule: Sendable, Hashable {
    /// Replay: the first year-less stamp takes `startYear`; a later one that goes back in time
    /// relative to the previous year-less stamp (Dec -> Jan) moves to the next year.
    ///
    /// Going back by one day or less does not count as a new year: a merged syslog can carry a few
    /// late lines across a month boundary (`Jul  1 00:00:02` followed by `Jun 30 23:59:59`), and
    /// moving the rest of the log a year ahead for them would turn every deadline into an alert.
    case rolling(startYear: Int)
    /// Daemon: the year that puts the stamp nearest to `now`, never more than one day ahead of it.
    ///
    /// The day of slack absorbs clocks that run a little ahead and zones east of the reader.
    case nearest(now: Instant)
}
