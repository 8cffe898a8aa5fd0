import Glibc

/// Starts detached OS threads for work that blocks, such as `sd_journal_wait`, which must never
/// run on Swift's cooperative pool (2 threads on a 2-core host).
enum ReaderThread {
    /// Runs `body` on a new detached thread.
    ///
    /// - Parameter body: The work; the thread ends when it returns.
    /// - Returns: `false` when the system refused to create a thread (`pthread_create` failed).
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Body(run: body))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private final class Body {
        let run: @Sendable () -> Void

        init(run: @escaping @Sendable () -> Void) {
            self.run = run
        }
    }
}
