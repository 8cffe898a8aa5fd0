import Foundation

/// Runs blocking work on an OS thread of its own and suspends the caller until it is done, so that
/// file reading and regex compiling (a reload can take seconds for thousands of patterns) never
/// hold one of the cooperative pool's threads (two on two cores: one blocked halves the daemon).
enum BlockingWork {
    /// Runs `work` on a new thread named `name`.
    ///
    /// The work cannot be cancelled: a caller that is cancelled still waits for it to finish.
    ///
    /// - Returns: What `work` returns.
    /// - Throws: What `work` throws.
    static func run<Result: Sendable>(
        _ name: String, _ work: @escaping @Sendable () throws -> Result
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try work() }) }
            thread.name = name
            thread.start()
        }
    }
}
