import Foundation
import Glibc
import HeartlineSystemd
import Testing

/// sd_notify against a datagram socket standing in for systemd's. These tests change the process
/// environment (`NOTIFY_SOCKET`, `WATCHDOG_USEC`), which only sd-daemon reads, so they run one at a time.
@Suite(.serialized)
struct SystemdNotifierTests {
    /// A bound `AF_UNIX` datagram socket in a fresh directory, closed and removed by ``close()``.
    final class NotifySocket {
        let path: String
        let descriptor: Int32

        init() throws {
            path = try makeTemporaryDirectory("notify") + "/notify.sock"
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: path.utf8.prefix(raw.count - 1))
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            try #require(descriptor >= 0 && bound == 0)
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// The next datagram as text, or nil after 2 seconds.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
        }

        func close() {
            _ = Glibc.close(descriptor)
            try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
    }

    @Test func withoutNotifySocketEveryCallIsANoOp() {
        unsetenv("NOTIFY_SOCKET")
        unsetenv("WATCHDOG_USEC")
        #expect(!SystemdNotifier.ready())
        #expect(!SystemdNotifier.status("reading"))
        #expect(!SystemdNotifier.watchdog())
        #expect(!SystemdNotifier.stopping())
        #expect(SystemdNotifier.watchdogInterval() == nil)
    }

    @Test func messagesReachTheNotifySocket() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        #expect(SystemdNotifier.ready())
        #expect(socket.receive() == "READY=1")
        #expect(SystemdNotifier.status("3 jobs\nall fine"))
        #expect(socket.receive() == "STATUS=3 jobs all fine")
        #expect(SystemdNotifier.watchdog())
        #expect(socket.receive() == "WATCHDOG=1")
        #expect(SystemdNotifier.stopping())
        #expect(socket.receive() == "STOPPING=1")
        #expect(ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] == socket.path)
    }

    @Test func watchdogIntervalIsWatchdogUsecForThisProcessOnly() {
        setenv("WATCHDOG_USEC", "3000000", 1)
        defer {
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
        #expect(SystemdNotifier.watchdogInterval() == .seconds(3))
        setenv("WATCHDOG_PID", String(getpid()), 1)
        #expect(SystemdNotifier.watchdogInterval() == .seconds(3))
        setenv("WATCHDOG_PID", String(getpid() + 1), 1)
        #expect(SystemdNotifier.watchdogInterval() == nil)
    }
}
