import Foundation
import HeartlineCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `CalendarSpec` against systemd itself: for generated expressions, zones with daylight-saving
/// changes and base times around the changes of 2025-2027, the normalized form and the next
/// elapses must be exactly what `systemd-analyze calendar --base-time=T --iterations=N` prints.
///
/// Each zone's expressions go to one `systemd-analyze` call per base time (it takes many
/// expressions at once), with `TZ` set to the zone; some expressions carry a zone of their own.
/// systemd prints elapses to the second, so whole seconds are compared; the unit tests pin the
/// microseconds. The test is skipped, saying why, where `systemd-analyze` is missing or is not
/// systemd 252, whose behaviour `CalendarSpec` reproduces.
struct CalendarConformanceTests {
    /// Zones with DST: a 30-minute shift (Lord Howe), the southern hemisphere (Santiago, whose
    /// clocks change at midnight; Sydney; Auckland), Havana (also at midnight), Berlin and New York.
    static let daylightSavingZones = [
        "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "Australia/Sydney",
        "Pacific/Auckland", "America/Havana",
    ]
    static let fixedZones = ["Asia/Kolkata", "UTC"]
    static let expressionsPerZone = 80
    static let iterations = 6

    @Test(.enabled(if: SystemdAnalyze.shared.skipReason == nil, SystemdAnalyze.shared.comment))
    func nextElapsesEqualSystemdAnalyze() throws {
        var generator = ExpressionGenerator(seed: 252)
        var compared = Set<String>()
        var checks = 0
        var givenUp = 0
        var refused = 0
        for zoneName in Self.daylightSavingZones + Self.fixedZones {
            let zone = try #require(TimeZone(identifier: zoneName))
            var expressions: [String] = []
            while expressions.count < Self.expressionsPerZone {
                let expression = generator.expression(
                    hotHours: Self.hotHours(zoneName), zones: Self.daylightSavingZones)
                if !expressions.contains(expression) { expressions.append(expression) }
            }
            for base in Self.baseTimes(in: zone) {
                let output = try SystemdAnalyze.shared.run(
                    expressions, zone: zoneName, base: base, iterations: Self.iterations)
                var gaveUp: [String: [Instant]] = [:]
                for expression in expressions {
                    let context = "'\(expression)' with TZ=\(zoneName) after @\(base)"
                    switch try check(expression, zone: zone, base: base, against: output, context: context) {
                    case .compared: compared.insert(expression)
                    case .gaveUp(let ours): gaveUp[expression] = ours
                    case .refused: refused += 1
                    }
                    checks += 1
                }
                try checkGivingUp(gaveUp, zone: zoneName, base: base)
                givenUp += gaveUp.count
            }
        }
        print(
            "calendar conformance: \(compared.count) expressions compared with systemd-analyze in \(checks) runs of "
                + "\(Self.iterations) elapses; in \(givenUp) runs both gave up, in \(refused) both refused")
        #expect(compared.count >= 500)
    }

    /// What became of one expression.
    private enum Verdict {
        /// Its normalized form and elapses were compared.
        case compared
        /// systemd gave up on one of its iterations; these are the elapses we found before we did.
        case gaveUp([Instant])
        /// Both refused it, or systemd found it never elapses where we refused it.
        case refused
    }

    private func check(
        _ expression: String, zone: TimeZone, base: Int64, against output: SystemdAnalyze.Output, context: String
    ) throws -> Verdict {
        let spec: CalendarSpec
        do {
            spec = try CalendarSpec(parsing: expression)
        } catch {
            let never = output.results[expression]?.elapses.isEmpty == true && error.code == .neverElapses
            #expect(output.unparsable.contains(expression) || never, "\(context): refused with \(error)")
            return .refused
        }
        #expect(!output.unparsable.contains(expression), "\(context): systemd refuses it, we read it")
        let ours = elapses(of: spec, zone: zone, base: base, count: Self.iterations)
        if output.gaveUp.contains(expression) {
            #expect(ours.count < Self.iterations, "\(context): systemd gave up, we found \(ours)")
            return .gaveUp(ours)
        }
        let theirs = try #require(output.results[expression], "\(context): no output")
        #expect(theirs.normalized == spec.normalized, "\(context)")
        #expect(theirs.elapses == ours.map(\.seconds), "\(context)")
        return .compared
    }

    /// systemd gave up on these ("Infinite loop in calendar calculation"), and so did we: it must
    /// print the elapses we found before, and give up on the next iteration, where we did.
    private func checkGivingUp(_ gaveUp: [String: [Instant]], zone: String, base: Int64) throws {
        let analyze = SystemdAnalyze.shared
        for (count, group) in Dictionary(grouping: gaveUp, by: \.value.count) {
            let expressions = group.map(\.key).sorted()
            if count > 0 {
                let before = try analyze.run(expressions, zone: zone, base: base, iterations: count)
                for (expression, ours) in group {
                    #expect(
                        before.results[expression]?.elapses == ours.map(\.seconds),
                        "'\(expression)' TZ=\(zone) @\(base)")
                }
            }
            let at = try analyze.run(expressions, zone: zone, base: base, iterations: count + 1)
            for expression in expressions {
                #expect(
                    at.gaveUp.contains(expression),
                    "'\(expression)' TZ=\(zone) @\(base): systemd goes on where we give up")
            }
        }
    }

    private func elapses(of spec: CalendarSpec, zone: TimeZone, base: Int64, count: Int) -> [Instant] {
        var found: [Instant] = []
        var after = Instant(seconds: base)
        while found.count < count, let next = spec.nextElapse(after: after, in: zone) {
            found.append(next)
            after = next
        }
        return found
    }

    /// Wall-clock hours on or next to each zone's changes, which expressions favour.
    private static func hotHours(_ zone: String) -> [Int] {
        switch zone {
        case "America/Santiago", "America/Havana": [22, 23, 0, 1]
        case "Australia/Lord_Howe": [1, 2]
        case "Asia/Kolkata", "UTC": [0, 5, 23]
        default: [0, 1, 2, 3]
        }
    }

    /// Base times around every change of 2025-2027, or a few fixed ones for a zone without DST.
    private static func baseTimes(in zone: TimeZone) -> [Int64] {
        var changes: [Int64] = []
        var after = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
        while let change = zone.nextDaylightSavingTimeTransition(after: after),
            change.timeIntervalSince1970 < 1_830_297_600  // 2028-01-01T00:00:00Z
        {
            changes.append(Int64(change.timeIntervalSince1970))
            after = change
        }
        if changes.isEmpty { return [1_743_294_600, 1_761_435_000, 1_798_761_599] }
        // An hour before (elapses run across the change) and half an hour after (inside a repeated hour).
        return changes.flatMap { [$0 - 3_617, $0 + 1_817] }
    }
}

extension CalendarConformanceTests {
    /// A deterministic generator of `OnCalendar=` expressions mixing every part of the syntax:
    /// weekday lists and ranges (short and long names, `..` and the old `-`), dates with two or three
    /// parts, lists, ranges, repetitions and `~`, times with seconds, fractions and repetitions,
    /// shorthands, and zones written in the expression.
    struct ExpressionGenerator {
        private var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func expression(hotHours: [Int], zones: [String]) -> String {
            if chance(0.08) {
                return pick([
                    "minutely", "hourly", "daily", "weekly", "monthly", "quarterly", "semiannually",
                    "semi-annually", "yearly", "annually", "Daily", "HOURLY",
                ])
            }
            let parts = [weekdays(), date(), time(hotHours: hotHours)].compactMap { $0 }
            var text = parts.isEmpty ? "daily" : parts.joined(separator: " ")
            if chance(0.1) { text += " " + (chance(0.3) ? "UTC" : pick(zones)) }
            return text
        }

        private static let shortNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        private static let longNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

        private mutating func weekdays() -> String? {
            guard chance(0.5) else { return nil }
            return (0..<number(1...2)).map { _ in
                let first = number(0...6)
                let last = number(first...6)
                let names = chance(0.15) ? Self.longNames : Self.shortNames
                if first == last || chance(0.4) { return names[first] }
                return names[first] + (chance(0.85) ? ".." : "-") + names[last]
            }.joined(separator: ",")
        }

        private mutating func date() -> String? {
            guard chance(0.75) else { return nil }
            let year = chance(0.85) ? "*" : chain(2025...2030, star: 0, width: 4)
            let month = chain(1...12, star: 0.5)
            let day: String
            if chance(0.2) {
                switch number(0...2) {
                case 0: day = "~" + String(format: "%02d", number(1...7))
                case 1: day = "~\(number(1...3))..\(number(4...7))"
                default: day = "~\(number(3...7))/\(number(1...2))"
                }
            } else {
                day = "-" + chain(1...(chance(0.7) ? 28 : 31), star: 0.5)
            }
            return (chance(0.7) ? "\(year)-\(month)" : month) + day
        }

        private mutating func time(hotHours: [Int]) -> String? {
            guard chance(0.85) else { return nil }
            let hour = chance(0.4) ? String(pick(hotHours)) : chain(0...23, star: 0.35)
            let minute = chance(0.6) ? chain(0...59, star: 0.2) : pick(["00", "30", "15", "45", "0/15", "0/20", "0/1"])
            return "\(hour):\(minute)" + (seconds().map { ":" + $0 } ?? "")
        }

        private mutating func seconds() -> String? {
            switch number(0...99) {
            case 0..<50: nil
            case 50..<60: "*"
            case 60..<75: String(format: "%02d", number(0...59))
            case 75..<85: "\(number(0...50))/\(number(1...9))"
            case 85..<92: "\(number(0...58)).\(String(format: "%06d", number(1...999_999)))"
            default: "\(number(0...20))/\(number(1...20)).5"
            }
        }

        /// A field: `*`, or one to three items of values, ranges and repetitions within `range`.
        private mutating func chain(_ range: ClosedRange<Int>, star: Double, width: Int = 2) -> String {
            if chance(star) { return "*" }
            let count = chance(0.6) ? 1 : number(2...3)
            return (0..<count).map { _ in item(range, width: width) }.joined(separator: ",")
        }

        private mutating func item(_ range: ClosedRange<Int>, width: Int) -> String {
            var start = number(range)
            let span = range.upperBound - range.lowerBound
            switch number(0...99) {
            case 0..<45:
                return chance(0.5) ? String(format: "%0\(width)d", start) : String(start)
            case 45..<65:
                return "\(start)..\(number(start...range.upperBound))"
            case 65..<85:
                let step = number(1...max(1, span / 3))
                if start + step > range.upperBound { start = range.lowerBound }
                return "\(start)/\(step)"
            default:
                let stop = number(start...range.upperBound)
                return "\(start)..\(stop)/\(number(1...max(1, stop - start)))"
            }
        }

        private mutating func next() -> UInt64 {
            // SplitMix64: small, fast and the same on every platform.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        private mutating func number(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.count))
        }

        private mutating func chance(_ probability: Double) -> Bool {
            Double(next() >> 11) / Double(1 << 53) < probability
        }

        private mutating func pick<T>(_ items: [T]) -> T {
            items[number(0...(items.count - 1))]
        }
    }

    /// The `systemd-analyze` binary, if there is one of the version the conformance test pins.
    final class SystemdAnalyze: Sendable {
        static let shared = SystemdAnalyze()

        /// What one call printed: per expression its normalized form and elapses (seconds since the
        /// epoch, empty for "never"), the expressions it could not parse, and those it gave up on.
        struct Output {
            var results: [String: (normalized: String, elapses: [Int64])] = [:]
            var unparsable: Set<String> = []
            var gaveUp: Set<String> = []
        }

        let path: String?
        /// Why the test cannot run here, or nil.
        let skipReason: String?

        var comment: Comment { Comment(rawValue: skipReason ?? "") }

        private init() {
            let candidates = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
            guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
                path = nil
                skipReason =
                    "systemd-analyze (systemd 252) is not installed, so there is nothing to compare CalendarSpec with"
                print("calendar conformance test skipped: \(skipReason!)")
                return
            }
            path = found
            let version = (try? Self.execute(found, ["--version"], zone: "UTC").stdout) ?? ""
            let first = version.split(separator: "\n").first.map(String.init) ?? "no version"
            if first.hasPrefix("systemd 252 ") {
                skipReason = nil
            } else {
                skipReason = "\(found) is '\(first)'; the calendar conformance test pins systemd 252's behaviour"
                print("calendar conformance test skipped: \(skipReason!)")
            }
        }

        func run(_ expressions: [String], zone: String, base: Int64, iterations: Int) throws -> Output {
            let path = try #require(path)
            let arguments = ["calendar", "--base-time=@\(base)", "--iterations=\(iterations)"] + expressions
            let (stdout, stderr) = try Self.execute(path, arguments, zone: zone)
            var output = Output()
            output.unparsable = Self.quoted(in: stderr, after: "Failed to parse calendar specification '")
            output.gaveUp = Self.quoted(in: stderr, after: "Failed to determine next elapse for '")
            let printed = expressions.filter { !output.unparsable.contains($0) && !output.gaveUp.contains($0) }
            let blocks = Self.parse(stdout)
            guard blocks.count == printed.count else {
                Issue.record(
                    "systemd-analyze printed \(blocks.count) blocks for \(printed.count) expressions:\n\(stderr)")
                return output
            }
            for (expression, block) in zip(printed, blocks) {
                output.results[expression] = block
            }
            return output
        }

        /// Reads the blocks printed for the expressions, one per expression and separated by a blank
        /// line: "Normalized form:", then "Next elapse:" and "Iter. #N:" lines, each followed by an
        /// "(in UTC):" line unless the local zone is UTC. Works on bytes: the output runs to 100 KB.
        private static func parse(_ text: String) -> [(normalized: String, elapses: [Int64])] {
            var blocks: [(normalized: String, elapses: [Int64])] = []
            var current: (normalized: String, elapses: [Int64])?
            var pending: Substring?
            var ended = false
            func finishElapse() {
                if let stamp = pending, current != nil { current!.elapses.append(seconds(stamp)) }
                pending = nil
            }
            for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = rawLine.drop(while: { $0 == " " })
                if line.isEmpty {
                    finishElapse()
                    if let block = current { blocks.append(block) }
                    current = nil
                    ended = false
                } else if line.hasPrefix("Normalized form: ") {
                    current = (String(line.dropFirst(17)), [])
                } else if line.hasPrefix("(in UTC): ") {
                    pending = line.dropFirst(10)
                    finishElapse()
                } else if line.hasPrefix("Next elapse: ") || line.hasPrefix("Iter. #") {
                    finishElapse()
                    let stamp = line[line.index(after: line.firstIndex(of: ":")!)...].dropFirst()
                    if stamp == "never" { ended = true } else if !ended { pending = stamp }
                }
            }
            finishElapse()
            if let block = current { blocks.append(block) }
            return blocks
        }

        /// Seconds since the epoch of "Sun 2025-03-30 00:30:00 UTC", which is always UTC here: either
        /// the "(in UTC)" line or the elapse line of a run with TZ=UTC.
        private static func seconds(_ stamp: Substring) -> Int64 {
            let digits = stamp.utf8.split(whereSeparator: { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") })
                .map { $0.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } }
            let days = CivilDate.days(year: digits[0], month: digits[1], day: digits[2])
            return Int64(days) * 86_400 + Int64(digits[3] * 3600 + digits[4] * 60 + digits[5])
        }

        private static func quoted(in text: String, after prefix: String) -> Set<String> {
            Set(
                text.components(separatedBy: "\n").compactMap { line in
                    guard let range = line.range(of: prefix), let end = line.range(of: "': ", options: .backwards)
                    else {
                        return nil
                    }
                    return String(line[range.upperBound..<end.lowerBound])
                })
        }

        /// Runs the binary with `TZ` set. `posix_spawn` rather than Foundation's `Process`, which
        /// takes about 45 ms a call here against 1 ms: the test makes some 170 calls.
        private static func execute(_ path: String, _ arguments: [String], zone: String) throws -> (
            stdout: String, stderr: String
        ) {
            var output: [Int32] = [0, 0]
            var errors: [Int32] = [0, 0]
            guard pipe(&output) == 0, pipe(&errors) == 0 else { throw POSIXError(.EMFILE) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
            for descriptor in output + errors { posix_spawn_file_actions_addclose(&actions, descriptor) }
            let argv = ([path] + arguments).map { strdup($0) } + [nil]
            let environment = ["TZ=\(zone)", "LC_ALL=C", "SYSTEMD_COLORS=0", "PATH=/usr/bin:/bin"]
            let envp = environment.map { strdup($0) } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid = pid_t()
            let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
            close(output[1])
            close(errors[1])
            // Messages on stderr are a line per refused expression, far below a pipe's buffer.
            let stdout = drain(output[0])
            let stderr = drain(errors[0])
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .ENOEXEC) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return (stdout, stderr)
        }

        private static func drain(_ descriptor: Int32) -> String {
            defer { close(descriptor) }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while case let count = read(descriptor, &buffer, buffer.count), count > 0 {
                data += buffer[0..<count]
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
