import Foundation
import HeartlineCore
import HeartlineSinks
import Testing

struct ExecSinkTests {
    static let alert = Alert(
        at: Instant(seconds: 1_700_003_600), service: "backup", job: "nightly", condition: .failing,
        status: .resolved, since: Instant(seconds: 1_700_000_000), detail: "3 failures in 10m\nlast: Fatal: disk")

    /// A scratch directory with the test's programs (shell scripts: the program may be anything,
    /// it is the sink that must not use a shell).
    final class Workspace {
        let path = NSTemporaryDirectory() + "heartline-exec-" + UUID().uuidString

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }

        func file(_ name: String) -> String { path + "/" + name }

        func read(_ name: String) throws -> String { try String(contentsOfFile: file(name), encoding: .utf8) }

        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

        /// Writes a script and returns the command that runs it: `/bin/sh` and the script's path.
        ///
        /// Run through `sh` rather than executed itself: executing a file just written fails now
        /// and then with `ETXTBSY` while other tests start programs, whose children briefly hold
        /// the writing descriptor.
        func program(_ name: String, _ body: String) throws -> [String] {
            try body.write(toFile: file(name), atomically: true, encoding: .utf8)
            return ["/bin/sh", file(name)]
        }

        /// A program that records its environment, arguments and standard input, then exits with `$2`.
        func recorder() throws -> [String] {
            try program(
                "record",
                """
                out="$1"
                for name in AT SERVICE JOB CONDITION STATUS SINCE DETAIL; do
                    eval "printf '%s' \\"\\$HEARTLINE_$name\\"" > "$out/$name"
                done
                env > "$out/environment"
                printf '%s\\n' "$@" > "$out/arguments"
                cat > "$out/stdin"
                exit "$2"
                """)
        }
    }

    static func sink(_ command: [String], timeout: Int64 = 10) throws -> ExecSink {
        try ExecSink(
            index: 2, config: SinkConfig(kind: .exec(command: command, timeout: timeout)),
            environment: ["PATH": "/usr/bin:/bin", "HOOK_TOKEN": "s3cret"])
    }

    @Test func theProgramGetsTheFieldsInItsEnvironmentAndTheJSONOnStandardInput() async throws {
        let workspace = try Workspace()
        let sink = try Self.sink(try workspace.recorder() + [workspace.path, "0"])
        try await sink.deliver(Self.alert)
        #expect(try workspace.read("AT") == "2023-11-14T23:13:20Z")
        #expect(try workspace.read("SERVICE") == "backup")
        #expect(try workspace.read("JOB") == "nightly")
        #expect(try workspace.read("CONDITION") == "failing")
        #expect(try workspace.read("STATUS") == "resolved")
        #expect(try workspace.read("SINCE") == "2023-11-14T22:13:20Z")
        #expect(try workspace.read("DETAIL") == "3 failures in 10m\nlast: Fatal: disk")
        #expect(try workspace.read("stdin") == Self.alert.jsonLine + "\n")
        #expect(sink.key == "2:exec")
    }

    @Test func theProgramGetsNothingElseFromTheDaemonsEnvironment() async throws {
        let workspace = try Workspace()
        let sink = try Self.sink(try workspace.recorder() + [workspace.path, "0"])
        try await sink.deliver(Self.alert)
        // The detail's second line is a line of `env`'s output too; only NAME=value lines name variables.
        let lines = try workspace.read("environment").split(separator: "\n").filter { $0.contains("=") }
        let names = lines.compactMap { $0.split(separator: "=").first }
        // `sh` itself adds PWD (and some shells SHLVL, _); nothing comes from the daemon but PATH.
        let shellOwn: Set<Substring> = ["PWD", "SHLVL", "_", "OLDPWD"]
        #expect(Set(names).subtracting(shellOwn) == Set(["PATH"] + Self.sinkVariables))
        #expect(try workspace.read("environment").contains("PATH=/usr/bin:/bin\n"))
        #expect(try !workspace.read("environment").contains("s3cret"))
    }

    static let sinkVariables: [Substring] = ["AT", "SERVICE", "JOB", "CONDITION", "STATUS", "SINCE", "DETAIL"].map {
        "HEARTLINE_" + $0
    }

    @Test func shellMetacharactersInTheAlertAndArgumentsAreNeverInterpreted() async throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.file("victim"), withIntermediateDirectories: false)
        let pwned = workspace.file("pwned")
        let job = "$(touch \(pwned)); rm -rf \(workspace.file("victim")) `touch \(pwned)` | touch \(pwned) && x"
        let argument = "; touch \(pwned); $(touch \(pwned))"
        var alert = Self.alert
        alert.job = job
        let sink = try Self.sink(try workspace.recorder() + [workspace.path, "0", argument, "*"])
        try await sink.deliver(alert)
        #expect(try workspace.read("JOB") == job)
        #expect(try workspace.read("arguments") == [workspace.path, "0", argument, "*"].joined(separator: "\n") + "\n")
        #expect(try workspace.read("stdin").contains(#""job":"$(touch "#))
        #expect(!workspace.exists("pwned"))
        #expect(workspace.exists("victim"))
    }

    @Test func theProgramStartsWithNoSignalsBlocked() async throws {
        let workspace = try Workspace()
        // Shell builtins only: `sh` blocks every signal while it waits for a child it forked.
        let program = try workspace.program(
            "mask",
            #"""
            while IFS= read -r line; do
                case "$line" in SigBlk:*) printf '%s\n' "$line" > "$1/mask" ;; esac
            done < /proc/$$/status
            """#)
        try await Self.sink(program + [workspace.path]).deliver(Self.alert)
        let mask = try workspace.read("mask")
        #expect(mask == "SigBlk:\t0000000000000000\n")
    }

    @Test func aNonZeroExitThrows() async throws {
        let workspace = try Workspace()
        let sink = try Self.sink(try workspace.recorder() + [workspace.path, "3"])
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        #expect(error?.code == .exitStatus)
        #expect(error?.message == "the program exited with status 3")
        #expect(try workspace.read("STATUS") == "resolved")
    }

    @Test func aProgramStillRunningAtTheTimeoutIsKilledWithItsChildren() async throws {
        let workspace = try Workspace()
        let program = try workspace.program(
            "hang",
            """
            sleep 60 &
            echo $! > "$1/child"
            wait
            """)
        let sink = try Self.sink(program + [workspace.path], timeout: 1)
        let started = ContinuousClock.now
        let error = await #expect(throws: SinkError.self) { try await sink.deliver(Self.alert) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .timeout)
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(8), "took \(elapsed)")
        let child = try #require(Int32(try workspace.read("child").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try await Self.ended(child), "the program's child \(child) is still running")
    }

    @Test func cancellingADeliveryKillsTheProgram() async throws {
        let workspace = try Workspace()
        let program = try workspace.program("hang", #"echo $$ > "$1/pid"; exec sleep 60"#)
        let sink = try Self.sink(program + [workspace.path], timeout: 30)
        let delivery = Task { try await sink.deliver(Self.alert) }
        // The shell creates the file before it writes the pid: wait for the number itself.
        func pid() -> Int32? {
            (try? workspace.read("pid")).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        for _ in 0..<250 where pid() == nil { try await Task.sleep(for: .milliseconds(20)) }
        delivery.cancel()
        await #expect(throws: CancellationError.self) { try await delivery.value }
        let pid = try #require(pid())
        #expect(try await Self.ended(pid))
    }

    @Test func waitingForAProgramHoldsNoThread() async throws {
        // Eight two-second programs at once on a cooperative pool of as many threads as cores (two
        // here): if each wait held a thread, they would take eight seconds or more.
        let sink = try Self.sink(["sleep", "2"])
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await sink.deliver(Self.alert) } }
            try await group.waitForAll()
        }
        let elapsed = ContinuousClock.now - started
        // Held threads would make it 8 s or more; the margin is for a loaded machine.
        #expect(elapsed < .seconds(7), "took \(elapsed)")
    }

    @Test func aProgramNameWithoutASlashIsLookedUpInPath() async throws {
        try await Self.sink(["true"]).deliver(Self.alert)
        let error = await #expect(throws: SinkError.self) { try await Self.sink(["false"]).deliver(Self.alert) }
        #expect(error?.code == .exitStatus)
    }

    @Test func aMissingProgramThrowsALaunchError() async throws {
        let error = await #expect(throws: SinkError.self) {
            try await Self.sink(["/nonexistent/heartline-program", "--secret-arg"]).deliver(Self.alert)
        }
        #expect(error?.code == .launch)
        #expect(!"\(try #require(error))".contains("--secret-arg"))
        let notFound = await #expect(throws: SinkError.self) {
            try await Self.sink(["heartline-no-such-program"]).deliver(Self.alert)
        }
        #expect(notFound?.code == .launch)
    }

    @Test func theRedactedFormHidesTheArguments() throws {
        let sink = try Self.sink(["/usr/local/bin/page-oncall", "--token", "s3cret"])
        #expect(sink.redacted == "exec /usr/local/bin/page-oncall (2 arguments)")
    }

    @Test func anEmptyCommandIsAConfigurationError() {
        let error = #expect(throws: SinkError.self) { try Self.sink([""]) }
        #expect(error?.code == .configuration)
    }

    /// Whether a process has ended (gone, or a zombie nobody reaped), polling for up to two seconds.
    static func ended(_ pid: Int32) async throws -> Bool {
        for _ in 0..<40 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == "Z" { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
