public import HeartlineCore

/// What ``JournalSource/events()`` reports: entries, a resume gap, or a change in availability.
public enum JournalEvent: Sendable, Hashable {
    /// Entries that satisfy the source's matches, in journal order; at most
    /// ``JournalSourceOptions/batchSize`` of them, never none.
    case entries(JournalBatch)
    /// The saved cursor no longer exists (its journal file was vacuumed or replaced), so reading
    /// resumed at the first entry after `resumedAfter`; entries between may be lost.
    ///
    /// Comes before the first `entries` read after the resume point (SPEC §4: "resume at the first
    /// entry after its saved time and report the gap").
    case gap(savedCursor: String, resumedAfter: Instant, message: String)
    /// The journal cannot be read: it could not be opened, holds no readable file (journald not
    /// running, `Storage=none`, or no permission), or a read failed. The source retries every
    /// ``JournalSourceOptions/retryInterval`` and resumes after the last entry it delivered.
    ///
    /// Reported once per outage, not at every retry.
    case unavailable(message: String)
    /// The journal was opened and positioned: at the start, and again after each `unavailable`.
    case available
}
