import Foundation
import Glibc
import HeartlineReplay

/// The progress line of a long replay on standard error: bytes read of the total, lines per second
/// and the time left, redrawn in place at most four times a second, and erased at the end. Drawn
/// only when standard error is a terminal, so that logs and pipes never see it.
final class ProgressLine {
    /// The inputs' total size in bytes, when every input is a plain file whose size says it.
    private let totalBytes: Int?
    private let started = ContinuousClock.now
    private var drawnAt: ContinuousClock.Instant?
    private var drawn = false

    /// A progress line, or nil when standard error is not a terminal.
    init?(files: [String]) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        var total = 0
        var known = true
        for file in files {
            var status = stat()
            if file == "-" || file.hasSuffix(".gz") || stat(file, &status) != 0 {
                known = false
            } else {
                total += Int(status.st_size)
            }
        }
        totalBytes = known ? total : nil
    }

    /// Redraws the line for `progress`, or erases it once the replay has finished.
    func update(_ progress: ReplayProgress) {
        let now = ContinuousClock.now
        if progress.finished {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            return
        }
        if let drawnAt, now - drawnAt < .milliseconds(250) { return }
        drawnAt = now
        let (seconds, attoseconds) = (now - started).components
        let elapsed = Double(seconds) + Double(attoseconds) / 1e18
        var text = "\r\u{1B}[Kheartline: \(Self.megabytes(progress.bytesRead))"
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(progress.bytesRead) / Double(totalBytes))
            text += " of \(Self.megabytes(totalBytes)) (\(Int(fraction * 100))%)"
            if fraction > 0.01, elapsed > 0 {
                text += ", \(Int((elapsed / fraction - elapsed).rounded())) s left"
            }
        }
        if elapsed > 0 { text += ", \(Int(Double(progress.records) / elapsed)) lines/s" }
        FileHandle.standardError.write(Data(text.utf8))
        drawn = true
    }

    private static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
