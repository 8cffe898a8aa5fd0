import Foundation
public import HeartlineCore

/// Reads what ``HeartlineCore/Discovery`` maps: systemd timer units with their drop-ins and
/// enablement links, the crontabs, `/etc/anacrontab` and the machine's zone, all under a root
/// directory (`/`, or a copied tree for tests). The one part of discovery that touches files.
///
/// Unit directories, highest priority first (systemd.unit(5), "Unit File Load Path"):
/// `/etc/systemd/system`, `/run/systemd/system`, `/lib/systemd/system`, `/usr/lib/systemd/system`;
/// a unit file in a higher one hides one of the same name below, and a directory reached twice
/// (Debian 12's `/lib` is a link to `/usr/lib`) is read once. Links are followed inside the root:
/// an absolute target is taken relative to it.
public struct DiscoveryReader: Sendable {
    /// The root directory the absolute paths are under.
    public let root: String

    /// The unit directories, highest priority first.
    public static let unitDirectories = [
        "/etc/systemd/system", "/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
    ]

    /// Creates a reader.
    ///
    /// - Parameter root: The root directory; `/` for this machine.
    public init(root: String = "/") {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// Reads the machine.
    ///
    /// - Parameters:
    ///   - timers: Whether to read timer units.
    ///   - crontabs: Whether to read crontabs and `/etc/anacrontab`.
    /// - Returns: What was found; unreadable files are listed in its `problems`.
    public func read(timers: Bool, crontabs: Bool) -> DiscoveryInput {
        var input = DiscoveryInput()
        (input.timezone, input.timezoneSource) = machineZone()
        if timers { input.timers = readTimers(problems: &input.problems) }
        if crontabs {
            input.crontabs = readCrontabs(problems: &input.problems)
            if let text = readText("/etc/anacrontab", problems: &input.problems) {
                input.anacrontab = AnacrontabFile(text: text, path: shown("/etc/anacrontab"))
            }
        }
        return input
    }

    // MARK: Paths

    /// The path on this machine of an absolute path under the root.
    func onDisk(_ path: String) -> String {
        root == "/" ? path : root + path
    }

    /// A path as messages and locations show it: under the root, as on disk.
    func shown(_ path: String) -> String { onDisk(path) }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: onDisk(path), isDirectory: &directory) && directory.boolValue
    }

    private func entries(of directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: onDisk(directory))) ?? []).sorted()
    }

    /// Follows links inside the root: the absolute path (under the root) a path ends at, nil for a
    /// dangling link or a loop.
    func resolved(_ path: String) -> String? {
        var current = path
        for _ in 0..<32 {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: onDisk(current)) else {
                return FileManager.default.fileExists(atPath: onDisk(current)) ? current : nil
            }
            if target.hasPrefix("/") {
                current = target
            } else {
                let directory = (current as NSString).deletingLastPathComponent
                current = ((directory + "/" + target) as NSString).standardizingPath
            }
        }
        return nil
    }

    private func readText(_ path: String, problems: inout [String]) -> String? {
        guard let real = resolved(path) else { return nil }
        guard let data = FileManager.default.contents(atPath: onDisk(real)) else {
            problems.append("\(shown(path)): cannot read")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append("\(shown(path)): not UTF-8 text; skipped")
            return nil
        }
        return text
    }

    // MARK: Zone

    /// The zone cron and the timers use: `/etc/timezone` (which Debian's cron reads), else the
    /// zone `/etc/localtime` links to, else UTC.
    func machineZone() -> (TimeZone, String) {
        var ignored: [String] = []
        if let text = readText("/etc/timezone", problems: &ignored) {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let zone = TimeZone(identifier: name) { return (zone, shown("/etc/timezone")) }
        }
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: onDisk("/etc/localtime")),
            let range = target.range(of: "zoneinfo/")
        {
            let name = String(target[range.upperBound...])
            if let zone = TimeZone(identifier: name) { return (zone, shown("/etc/localtime")) }
        }
        return (TimeZone(identifier: "UTC")!, "UTC: neither /etc/timezone nor /etc/localtime names a zone")
    }

    // MARK: Timers

    /// The directories that exist, highest priority first, each once.
    private func unitDirectories() -> [String] {
        var seen: Set<String> = []
        var directories: [String] = []
        for directory in Self.unitDirectories where isDirectory(directory) {
            let real = resolved(directory) ?? directory
            if seen.insert((real as NSString).standardizingPath).inserted { directories.append(directory) }
        }
        return directories
    }

    private func readTimers(problems: inout [String]) -> [DiscoveryInput.Timer] {
        let directories = unitDirectories()
        // The unit file of each name: the first directory that has it.
        var unitFiles: [String: String] = [:]
        var enabled: Set<String> = []
        for directory in directories {
            for name in entries(of: directory) {
                let path = directory + "/" + name
                if name.hasSuffix(".wants") || name.hasSuffix(".requires") {
                    for link in entries(of: path) where link.hasSuffix(".timer") { enabled.insert(link) }
                } else if unitFiles[name] == nil, name.hasSuffix(".timer") || name.hasSuffix(".service") {
                    unitFiles[name] = path
                }
            }
        }
        var names = Set(unitFiles.keys.filter { $0.hasSuffix(".timer") && !$0.hasSuffix("@.timer") })
        names.formUnion(enabled)
        let ordered = names.sorted { (enabled.contains($1) ? 1 : 0, $0) < (enabled.contains($0) ? 1 : 0, $1) }
        var timers: [DiscoveryInput.Timer] = []
        for name in ordered {
            let template = Self.template(of: name)
            guard let path = unitFiles[name] ?? template.flatMap({ unitFiles[$0] }) else {
                problems.append("\(name): linked as enabled, but no unit directory has its unit file")
                continue
            }
            let masked = isMasked(path)
            var files: [SystemdUnitFile] = []
            if !masked, let text = readText(path, problems: &problems) {
                files.append(SystemdUnitFile(text: text, path: shown(path)))
                for dropIn in dropIns(of: name, in: directories) {
                    if let text = readText(dropIn, problems: &problems) {
                        files.append(SystemdUnitFile(text: text, path: shown(dropIn)))
                    }
                }
            }
            var timer = DiscoveryInput.Timer(name: name, files: files, enabled: enabled.contains(name), masked: masked)
            if files.isEmpty && !masked { continue }
            if !masked {
                let unit = TimerUnit(name: name, files: files).unitName
                timer.unitExists =
                    unitFiles[unit] != nil || Self.template(of: unit).map { unitFiles[$0] != nil } == true
            }
            timers.append(timer)
        }
        return timers
    }

    /// `foo@.timer` for an instance `foo@bar.timer`; nil for a name that is no instance.
    static func template(of name: String) -> String? {
        guard let at = name.firstIndex(of: "@"), let dot = name.lastIndex(of: "."), at < dot,
            name.index(after: at) != dot
        else { return nil }
        return String(name[...at]) + String(name[dot...])
    }

    private func isMasked(_ path: String) -> Bool {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: onDisk(path)), target == "/dev/null"
        {
            return true
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: onDisk(resolved(path) ?? path)))?[.size] as? Int
        return size == 0
    }

    /// The drop-ins of a unit in the order systemd applies them: every `*.conf` of its `NAME.d`,
    /// its template's, the dash-prefix directories (`foo-.timer.d` for `foo-bar.timer`) and
    /// `timer.d`, in every unit directory, sorted by file name; of two files with one name, the one
    /// in the higher-priority directory (systemd.unit(5), "drop-in").
    func dropIns(of name: String, in directories: [String]) -> [String] {
        guard let dot = name.lastIndex(of: ".") else { return [] }
        let stem = name[..<dot]
        let suffix = name[dot...]
        var dropInDirectories = [name + ".d"]
        if let template = Self.template(of: name) { dropInDirectories.append(template + ".d") }
        var prefix = Substring(stem)
        while let dash = prefix.dropLast().lastIndex(of: "-") {
            prefix = prefix[...dash]
            dropInDirectories.append(prefix + suffix + ".d")
        }
        dropInDirectories.append(String(suffix.dropFirst()) + ".d")
        var byName: [String: String] = [:]
        for directory in directories {
            for dropInDirectory in dropInDirectories {
                let path = directory + "/" + dropInDirectory
                for file in entries(of: path) where file.hasSuffix(".conf") && byName[file] == nil {
                    byName[file] = path + "/" + file
                }
            }
        }
        return byName.keys.sorted().compactMap { byName[$0] }.filter { !isMasked($0) }
    }

    // MARK: Crontabs

    private func readCrontabs(problems: inout [String]) -> [CrontabFile] {
        var crontabs: [CrontabFile] = []
        if let text = readText("/etc/crontab", problems: &problems) {
            crontabs.append(CrontabFile(text: text, path: shown("/etc/crontab"), kind: .system))
        }
        for name in entries(of: "/etc/cron.d") {
            let path = "/etc/cron.d/" + name
            // cron(8): files in /etc/cron.d follow run-parts' names; others (`x.dpkg-old`) are ignored.
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                problems.append("\(shown(path)): ignored by cron: names in /etc/cron.d are letters, digits, _ and -")
                continue
            }
            if let text = readText(path, problems: &problems) {
                crontabs.append(CrontabFile(text: text, path: shown(path), kind: .system))
            }
        }
        for user in entries(of: "/var/spool/cron/crontabs") where !user.hasPrefix(".") {
            let path = "/var/spool/cron/crontabs/" + user
            if let text = readText(path, problems: &problems) {
                crontabs.append(CrontabFile(text: text, path: shown(path), kind: .user(user)))
            }
        }
        return crontabs
    }
}
