import Foundation

/// Buffered standard output for alert lines. A line is written out at once when the last write
/// is a tenth of a second old (sparse alerts appear as they come); lines that come faster are
/// held, and go out with the next such line, at ``flush()`` (replay calls it every 65,536 input
/// lines) or when 64 KiB are held.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private var flushedAt = ContinuousClock.now - .seconds(1)

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 64 * 1024 || ContinuousClock.now - flushedAt > .milliseconds(100) { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
        flushedAt = .now
    }
}

/// Messages for the operator, one line each, unbuffered.
enum StandardError {
    static func write(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
