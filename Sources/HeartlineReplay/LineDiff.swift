/// A line diff by longest common subsequence, for rule-test failures.
enum LineDiff {
    /// Every line of both sides, prefixed `  ` (both), `- ` (expected only) or `+ ` (actual only).
    static func lines(expected: [String], actual: [String]) -> [String] {
        let n = expected.count
        let m = actual.count
        var common = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                common[i][j] =
                    expected[i] == actual[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                out.append("  " + expected[i])
                i += 1
                j += 1
            } else if j < m, i == n || common[i][j + 1] >= common[i + 1][j] {
                out.append("+ " + actual[j])
                j += 1
            } else {
                out.append("- " + expected[i])
                i += 1
            }
        }
        return out
    }
}
