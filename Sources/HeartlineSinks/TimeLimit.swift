/// Runs an operation that something outside it can stop, and stops it once a time limit passes.
///
/// The operation must end soon after `stop` is called (a killed program exits, a cancelled request
/// completes); the limit is measured on the continuous clock, since it bounds real I/O rather than
/// event time.
enum TimeLimit {
    /// Runs `operation`, calling `stop` if it is still running after `limit`.
    ///
    /// - Parameters:
    ///   - limit: How long the operation may run.
    ///   - stop: Makes the operation end; returns whether it stopped something still running.
    ///   - operation: The work; it returns once it ends on its own or because of `stop`.
    /// - Returns: The operation's value, and whether the limit passed and `stop` found it running.
    static func run<Value: Sendable>(
        limit: Duration, stop: @escaping @Sendable () -> Bool, operation: () async -> Value
    ) async -> (value: Value, expired: Bool) {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(for: limit)
                } catch {
                    return false
                }
                return stop()
            }
            let value = await operation()
            group.cancelAll()
            let expired = await group.next() ?? false
            return (value, expired)
        }
    }
}
