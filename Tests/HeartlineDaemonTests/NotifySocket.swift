import Foundation
import Glibc
import Testing

/// A bound `AF_UNIX` datagram socket standing in for systemd's notification socket (`man sd_notify`):
/// a daemon started with `NOTIFY_SOCKET` set to ``path`` sends its `READY=1` and `STATUS=` here.
final class NotifySocket: Sendable {
    let path: String
    private let descriptor: Int32

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heartline-notify-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("notify.sock").path
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
    }

    deinit {
        _ = Glibc.close(descriptor)
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Every datagram waiting now, as text, without blocking.
    func drain() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            guard count >= 0 else { return messages }
            messages.append(String(decoding: buffer.prefix(count), as: UTF8.self))
        }
    }

    /// Waits until a datagram carries the assignment `line` (such as `READY=1`); returns whether one did.
    func wait(for line: String, timeout: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if drain().contains(where: { $0.split(separator: "\n").contains { $0 == line } }) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }
}
