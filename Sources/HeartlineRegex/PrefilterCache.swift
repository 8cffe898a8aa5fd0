/// Somewhere to keep compiled prefilter databases between runs, so that a pattern set compiles
/// once rather than at every start.
///
/// Compiling hundreds of patterns into one Vectorscan database takes most of a second, far longer
/// than loading a saved one (`hs_serialize_database` / `hs_deserialize_database`). The prefilter
/// asks the cache before compiling and offers it what it compiled. A cache is best effort: a value
/// it cannot give back, or gives back damaged, only costs a compile, since ``MultiPatternPrefilter``
/// checks what it loads and compiles afresh when the check fails.
public protocol PrefilterCache: Sendable {
    /// The value stored for exactly `key`, or nil when there is none (or it cannot be read).
    ///
    /// - Parameter key: The bytes that name the value: the Vectorscan version, the CPU it tunes
    ///   for, and every pattern with its flags. Two different keys never share a value.
    func value(for key: [UInt8]) -> [UInt8]?

    /// Keeps `value` under `key`, replacing what was there; failures are silent.
    ///
    /// - Parameters:
    ///   - value: The encoded prefilter (its modes and serialized database).
    ///   - key: As for ``value(for:)``.
    func store(_ value: [UInt8], for key: [UInt8])
}
