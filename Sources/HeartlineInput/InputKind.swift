/// How an input file is to be read, decided by ``InputFile`` from its first bytes.
///
/// Not `Sendable`: each reader owns an open file and is read from one thread.
public enum InputKind {
    /// A plain log: one event per line.
    case lines(LineReader)
    /// A journal export stream (`journalctl -o export`): one event per entry.
    case journal(JournalExportReader)
}

@available(*, unavailable)
extension InputKind: Sendable {}
