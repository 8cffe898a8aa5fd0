/// The one rule for journal field names, used by pattern files (`source.journal.fields`), the
/// journal export reader and the journal routing alike.
///
/// systemd's rules (`journal_field_valid` in journal-file.c, `match_is_valid` in sd-journal.c,
/// systemd.journal-fields(7)): a name is 1 to 64 bytes of `A`–`Z`, `0`–`9` and `_`, not starting
/// with a digit. A name starting with `__` is not a stored field but an address of the journal
/// export format (`__CURSOR`, `__REALTIME_TIMESTAMP`, `__MONOTONIC_TIMESTAMP`, `__SEQNUM`,
/// `__SEQNUM_ID`): an export stream carries it, but `sd_journal_add_match` refuses it, so no
/// match can be made on one.
public enum JournalFieldName {
    /// What a name is under this rule.
    public enum Kind: Sendable, Hashable {
        /// A field that entries store and that can be matched (`MESSAGE`, `_SYSTEMD_UNIT`).
        case field
        /// An address of the export format, starting with `__` (`__CURSOR`): readable, not matchable.
        case address
        /// Not a journal name at all.
        case invalid
    }

    /// The longest name systemd accepts, in bytes.
    public static let longest = 64

    /// Classifies a name.
    ///
    /// - Parameter name: The name's bytes (ASCII when valid).
    /// - Returns: ``Kind/field``, ``Kind/address`` or ``Kind/invalid``.
    public static func kind(of name: some Collection<UInt8>) -> Kind {
        guard let first = name.first, name.count <= longest, !isDigit(first) else { return .invalid }
        guard name.allSatisfy({ (0x41...0x5A).contains($0) || isDigit($0) || $0 == 0x5F }) else { return .invalid }
        return name.starts(with: [0x5F, 0x5F]) ? .address : .field
    }

    /// Classifies a name given as text.
    public static func kind(of name: String) -> Kind {
        kind(of: name.utf8)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }
}
