import Testing

@testable import HeartlineCore

/// The open-run table against a plain list: whatever mix of opens, restarts and closes, the same
/// runs in the same start order, with the oldest at hand.
struct OpenRunsTests {
    @Test(arguments: [1, 7, 42])
    func matchesAPlainListThroughManyOpensRestartsAndCloses(seed: UInt64) {
        var state = seed
        func next(_ bound: Int) -> Int {
            // SplitMix64: a fixed sequence per seed.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        var runs = OpenRuns()
        var model: [JobFacts.OpenRun] = []
        for step in 0..<20_000 {
            let key: String? = next(10) == 0 ? nil : "k\(next(40))"
            let t = Instant(seconds: Int64(step / 3))
            switch next(4) {
            case 0, 1:
                runs.open(key, at: t)
                model.removeAll { $0.key == key }
                model.append(JobFacts.OpenRun(key: key, started: t))
            case 2:
                let closed = runs.close(key)
                let index = model.firstIndex { $0.key == key }
                #expect(closed == index.map { model[$0].started })
                if let index { model.remove(at: index) }
            default:
                #expect(runs.removeOldest() == model.first)
                if !model.isEmpty { model.removeFirst() }
            }
            #expect(runs.count == model.count)
            #expect(runs.oldest == model.first)
        }
        #expect(runs.inOrder == model)
        #expect(OpenRuns(model).inOrder == model)
    }
}
