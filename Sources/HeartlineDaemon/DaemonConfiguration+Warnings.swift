import Foundation
public import HeartlineCore

extension DaemonConfiguration {
    /// Set-ups that work but put the machine at risk, as `FILE:LINE:COLUMN: warning: ...` lines:
    /// what `heartline run` logs at start and `heartline check --config` prints.
    ///
    /// - An `http.listen` address on every interface (`0.0.0.0`, `::`, `[::]`, `*` or an empty
    ///   host): the status API has no authentication, so the jobs, their log lines and the metrics
    ///   reach whoever can reach the port.
    /// - The main configuration or a pattern file that someone other than its owner can write
    ///   (group- or world-writable), or that is owned by another user than root or the one running
    ///   Heartline: whoever can change it decides what the daemon watches and where its alerts go.
    ///
    /// - Parameters:
    ///   - path: The main configuration file (it may not exist: then only the patterns count).
    ///   - user: The user id Heartline runs as; nil for this process's (`getuid()`).
    /// - Returns: The warnings, each with the place it is about.
    public func warnings(path: String, user: UInt32? = nil) -> [ConfigWarning] {
        let user = user ?? getuid()
        var warnings: [ConfigWarning] = []
        let listenAt = main.valueLocations["http.listen"] ?? SourceLocation(file: path, line: 1, column: 1)
        if Self.isWildcard(host: main.listen) {
            warnings.append(
                ConfigWarning(
                    location: listenAt,
                    message: "'listen' \(main.listen) serves the unauthenticated status API on every interface;"
                        + " use 127.0.0.1 or a single address that only trusted hosts reach"))
        }
        var files = FileManager.default.fileExists(atPath: path) ? [path] : []
        for service in services where !files.contains(service.location.file) { files.append(service.location.file) }
        for file in files {
            if let problem = Self.ownershipProblem(file, user: user) {
                warnings.append(
                    ConfigWarning(location: SourceLocation(file: file, line: 1, column: 1), message: problem))
            }
        }
        return warnings
    }

    /// Whether `listen`'s host part means every interface.
    static func isWildcard(host listen: String) -> Bool {
        guard let colon = listen.lastIndex(of: ":") else { return false }
        let host = listen[..<colon]
        return ["", "*", "0.0.0.0", "::", "[::]"].contains(host)
    }

    /// Why a file read as configuration is not safe to trust, or nil.
    static func ownershipProblem(_ file: String, user: uid_t) -> String? {
        var info = stat()
        guard stat(file, &info) == 0 else { return nil }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            let who = info.st_mode & S_IWOTH != 0 ? "anyone" : "its group"
            return "\(who) may write this file (mode \(String(info.st_mode & 0o777, radix: 8))), and so decide what"
                + " Heartline watches and where its alerts go; make it writable by its owner only (chmod go-w)"
        }
        if info.st_uid != 0 && info.st_uid != user {
            return "this file belongs to user \(info.st_uid), neither root nor the user Heartline runs as"
                + " (\(user)); whoever owns it decides what Heartline watches and where its alerts go"
        }
        return nil
    }
}

/// A set-up that works but is risky, at the place it is about (see
/// ``DaemonConfiguration/warnings(path:user:)``).
public struct ConfigWarning: Sendable, Hashable, CustomStringConvertible {
    /// Where the risky setting or file is.
    public var location: SourceLocation
    /// What is risky and how to make it safe.
    public var message: String

    /// `FILE:LINE:COLUMN: warning: message`, with the file's text escaped for a terminal.
    public var description: String {
        TerminalText.escaped("\(location): warning: \(message)")
    }
}
