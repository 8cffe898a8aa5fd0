import HeartlineCore
import Testing

struct DurationParserTests {
    @Test(
        arguments: [
            ("90s", 90), ("10m", 600), ("24h", 86_400), ("1d", 86_400), ("2w", 1_209_600), ("1h30m", 5400),
            ("1d2h3m4s", 93_784), ("30m1h", 5400), ("0h5m", 300), ("007s", 7), ("36500d", 3_153_600_000),
        ] as [(String, Int64)])
    func validDurationsAddTheirTerms(text: String, seconds: Int64) throws {
        #expect(try DurationParser.seconds(text) == seconds)
    }

    @Test(arguments: [
        ("0s", "'0s' is not a valid duration: must be positive"),
        ("0h0m", "'0h0m' is not a valid duration: must be positive"),
        ("-5m", "'-5m' is not a valid duration: must be positive"),
        ("5x", "'5x': unknown unit 'x'; use s, m, h, d or w"),
        ("5min", "'5min': unknown unit 'min'; use s, m, h, d or w"),
        ("1H", "'1H': unknown unit 'H'; use s, m, h, d or w"),
        ("10", "'10' is not a valid duration: 10 needs a unit; use s, m, h, d or w, as in '10s'"),
        ("1h30", "'1h30' is not a valid duration: 30 needs a unit; use s, m, h, d or w, as in '30s'"),
        ("1h 30m", "'1h 30m' is not a valid duration: remove the spaces, as in '1h30m'"),
        ("1.5h", "'1.5h' is not a valid duration: use whole numbers, as in '1h30m' for one and a half hours"),
        ("h", "'h' is not a valid duration: expected a number before 'h', as in '90s' or '1h30m'"),
        ("", "'' is not a valid duration: expected a number and a unit, as in '90s' or '1h30m'"),
        ("36501d", "'36501d' is too long: a duration is at most 36500d (100 years)"),
        ("9999999999999999999999w", "'9999999999999999999999w' is too long: a duration is at most 36500d (100 years)"),
    ])
    func invalidDurationsSayWhatIsWrong(text: String, message: String) {
        #expect(throws: DurationError(message: message)) { try DurationParser.seconds(text) }
    }
}
