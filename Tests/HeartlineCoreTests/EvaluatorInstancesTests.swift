import HeartlineCore
import Testing

/// `instances:` (issue 12): a dynamic job's instances named in advance are watched from T0, so one
/// that never writes a line is `missing`, as a static job would be; other instances still come from
/// lines.
struct EvaluatorInstancesTests {
    static func service(instances: String) throws -> ServiceSpec {
        try PatternFileParser.parse(
            """
            source: { files: [/var/log/units.log] }
            jobs:
              - name: '{unit}'
                success: 'Finished (?<unit>\\S+)'
            \(instances)
                schedule: { every: 1h, grace: 5m }
            """, path: "units.yaml")
    }

    @Test func aNamedInstanceThatNeverRunsIsMissingAndAnUnnamedOneIsNot() throws {
        let t0 = RFC3339.parse("2026-12-08T00:00:00Z")!
        for (instances, expected) in [
            ("    instances: [a.service, b.service]", ["a.service", "b.service"]), ("", [String]()),
        ] {
            var evaluator = Evaluator(services: [try Self.service(instances: instances)])
            evaluator.start(at: t0)
            evaluator.advance(through: RFC3339.parse("2026-12-08T02:00:00Z")!)
            let alerts = evaluator.flush()
            // Due at T0 + 1h, missing 5 minutes later.
            #expect(alerts.map(\.job) == expected)
            #expect(alerts.allSatisfy { $0.condition == .missing && $0.at == RFC3339.parse("2026-12-08T01:05:00Z") })
        }
    }

    @Test func instancesNeedsAJobNameWithPlaceholders() {
        #expect(throws: ConfigErrors.self) {
            try PatternFileParser.parse(
                "jobs:\n  - name: static\n    success: done\n    instances: [x]\n", path: "s.yaml")
        }
    }

    /// `forget_after` drops idle dynamic instances (SPEC §7), but not one named in `instances:`: a
    /// unit that has gone quiet is exactly what its schedule is there to report.
    @Test func forgetAfterNeverDropsANamedInstance() throws {
        let spec = try PatternFileParser.parse(
            """
            source: { files: [/var/log/units.log] }
            jobs:
              - name: '{unit}'
                success: 'Finished (?<unit>\\S+)'
                instances: [a.service]
                forget_after: 1h
            """, path: "units.yaml")
        var evaluator = Evaluator(services: [spec])
        let t0 = RFC3339.parse("2026-12-08T00:00:00Z")!
        evaluator.start(at: t0)
        let b = JobEvent(service: 0, job: 0, instance: "b.service", kind: .success)
        evaluator.apply(b, at: t0)
        evaluator.advance(through: RFC3339.parse("2026-12-08T05:00:00Z")!)
        _ = evaluator.flush()
        #expect(evaluator.instanceSummaries().map(\.instance) == ["a.service"])
    }
}
