internal import CVectorscan

/// Which of Vectorscan's scan implementations Heartline uses, and the platform it compiles for.
///
/// Debian 12's Vectorscan 5.4.9 misses matches in its AVX-512 scan path: with the five patterns of
/// `Patterns/unattended-upgrades.yaml`, a block scan of its fixture log reported two of the three
/// `Starting unattended upgrades script` lines, and which two depended on the bytes after the end of
/// the buffer (the misses changed from run to run). Its AVX2 and SSE4.2 paths report all of them.
/// Upstream fixed AVX-512 defects after that release (VectorCamp/vectorscan #317, #375, #378).
///
/// So on a CPU with AVX-512, when libhs is a "fat runtime" build that exports its AVX2 entry
/// (`avx2_hs_scan`), databases are compiled without the AVX-512 features and scanned through that
/// entry. Elsewhere the dispatching `hs_scan` is used as it is. The AVX2 path ran at the same
/// speed as the AVX-512 one on Heartline's benchmark log (README, Performance).
enum VectorscanRuntime {
    /// The scan function every ``PrefilterScanner`` calls.
    nonisolated(unsafe) static let scan: heartline_hs_scan_fn = choice.scan

    /// The platform databases are compiled for (and named by in the prefilter cache).
    static let platform: hs_platform_info_t = choice.platform

    /// Whether the AVX-512 path is avoided on this machine.
    static let avoidsAVX512: Bool = choice.avoidsAVX512

    private static let avx512Features = UInt64(HS_CPU_FEATURES_AVX512) | UInt64(HS_CPU_FEATURES_AVX512VBMI)

    private static let choice: (scan: heartline_hs_scan_fn, platform: hs_platform_info_t, avoidsAVX512: Bool) = {
        var platform = hs_platform_info_t()
        _ = hs_populate_platform(&platform)
        let dispatching = heartline_hs_dispatching_scan()!
        guard platform.cpu_features & avx512Features != 0, let avx2 = heartline_hs_avx2_scan() else {
            return (dispatching, platform, false)
        }
        platform.cpu_features &= ~avx512Features
        return (avx2, platform, true)
    }()
}
