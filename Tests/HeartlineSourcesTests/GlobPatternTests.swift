import Testing

@testable import HeartlineSources

struct GlobPatternTests {
    @Test(arguments: [
        ("/var/log/app.log", true, "/var/log"),
        ("/var/log/*.log", false, "/var/log"),
        ("/var/log/*/app.log", false, "/var/log"),
        ("/srv/{a,b}/x.log", false, "/srv"),
        ("app.log", true, "."),
        ("*.log", false, "."),
        ("/app.log", true, "/"),
    ])
    func baseDirectoryIsTheDeepestDirectoryWithoutAWildcard(pattern: String, literal: Bool, base: String) {
        let glob = GlobPattern(pattern)
        #expect(glob.isLiteral == literal)
        #expect(glob.baseDirectory == base)
    }

    @Test(arguments: [
        ("/srv/{a,b}/x.log", "/srv/b/x.log", true),
        ("/srv/{a,b{c,d}}/x.log", "/srv/bd/x.log", true),
        ("/srv/{a,b}/x.log", "/srv/c/x.log", false),
        ("/var/log/*.log", "/var/log/app.log", true),
        ("/var/log/*.log", "/var/log/sub/app.log", false),
        ("/var/log/*.log", "/var/log/app.log.1", false),
    ])
    func matchingFollowsShellRules(pattern: String, path: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(path) == matches)
    }
}
