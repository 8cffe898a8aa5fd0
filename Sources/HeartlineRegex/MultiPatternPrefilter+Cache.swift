internal import CVectorscan
import Glibc

extension MultiPatternPrefilter {
    /// Names a compiled set for the ``PrefilterCache``: everything the compiled database depends on.
    ///
    /// That is the format (bumped when this encoding or the compile rules change), the Vectorscan
    /// version, the platform compiled for (``VectorscanRuntime/platform``: CPU family and features,
    /// so a cache shared between machines never serves a database built for another CPU), the
    /// flags, and each pattern with its length.
    static func cacheKey(_ patterns: [String]) -> [UInt8] {
        let platform = VectorscanRuntime.platform
        let version = hs_version().map { String(cString: $0) } ?? "unknown"
        var key = Array(
            ("heartline prefilter 2\nvectorscan \(version)\nplatform \(platform.tune) \(platform.cpu_features)\n"
                + "flags \(baseFlags)\npatterns \(patterns.count)\n").utf8)
        for pattern in patterns {
            key += Array("\(pattern.utf8.count):".utf8) + Array(pattern.utf8) + [0x0A]
        }
        return key
    }

    /// The modes and the database as bytes: the pattern count (UInt32), per pattern a tag (0 exact,
    /// 1 approximate, 2 unsupported, then a UInt32 length and the UTF-8 reason), then the length of
    /// the serialized database (UInt64, 0 for none) and its bytes; integers little-endian.
    static func encode(_ modes: [Mode], _ database: OpaquePointer?) -> [UInt8]? {
        var bytes: [UInt8] = []
        append(UInt32(modes.count), to: &bytes)
        for mode in modes {
            switch mode {
            case .exact: bytes.append(0)
            case .approximate: bytes.append(1)
            case .unsupported(let reason):
                bytes.append(2)
                append(UInt32(reason.utf8.count), to: &bytes)
                bytes += reason.utf8
            }
        }
        guard let database else {
            append(UInt64(0), to: &bytes)
            return bytes
        }
        var serialized: UnsafeMutablePointer<CChar>?
        var length = 0
        guard hs_serialize_database(database, &serialized, &length) == HS_SUCCESS, let serialized else { return nil }
        // Vectorscan allocates it with its misc allocator, malloc unless set otherwise.
        defer { free(serialized) }
        append(UInt64(length), to: &bytes)
        bytes += UnsafeRawBufferPointer(start: serialized, count: length)
        return bytes
    }

    /// Reads what ``encode(_:_:)`` wrote; nil when the bytes are not that, or when Vectorscan will
    /// not load or scan with the database.
    static func decode(_ bytes: [UInt8], patternCount: Int) -> (modes: [Mode], database: OpaquePointer?)? {
        var reader = ByteReader(bytes: bytes)
        guard let count = reader.uint32(), Int(count) == patternCount else { return nil }
        var modes: [Mode] = []
        modes.reserveCapacity(patternCount)
        for _ in 0..<patternCount {
            switch reader.byte() {
            case 0: modes.append(.exact)
            case 1: modes.append(.approximate)
            case 2:
                guard let length = reader.uint32(), let reason = reader.bytes(Int(length)) else { return nil }
                modes.append(.unsupported(String(decoding: reason, as: UTF8.self)))
            default: return nil
            }
        }
        guard let length = reader.uint64(), length == UInt64(reader.remaining) else { return nil }
        let compiled = modes.contains { $0 == .exact || $0 == .approximate }
        guard compiled == (length > 0) else { return nil }
        guard compiled else { return (modes, nil) }
        var database: OpaquePointer?
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                hs_deserialize_database(chars.baseAddress! + reader.offset, Int(length), &database)
            }
        }
        guard status == HS_SUCCESS, let database else { return nil }
        // A database that loads but cannot get scratch space (another platform) would find nothing.
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(database, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(database)
            return nil
        }
        hs_free_scratch(scratch)
        return (modes, database)
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

/// Reads little-endian integers and byte runs off an array; every read is bounds-checked.
private struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func byte() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() -> UInt32? {
        integer(UInt32.self)
    }

    mutating func uint64() -> UInt64? {
        integer(UInt64.self)
    }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard let run = bytes(MemoryLayout<T>.size) else { return nil }
        return run.reversed().reduce(T.zero) { ($0 << 8) | T($1) }
    }
}
