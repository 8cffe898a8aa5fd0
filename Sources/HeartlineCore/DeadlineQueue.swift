/// A min-heap of deadlines with lazy deletion, for the evaluator.
///
/// Callers push a new entry whenever a deadline changes and never remove the old one; on pop,
/// an entry that no longer equals its owner's current deadline is skipped. So that the stale
/// entries cannot grow without bound on a long replay, the heap is rebuilt from the live
/// deadlines once it holds more than twice as many entries as there are live ones.
struct DeadlineQueue {
    /// One deadline: instance `slot`'s `condition` falls due at `at`; a nil condition is the
    /// instance's `forget_after`, which comes after every condition of its instant.
    struct Entry {
        var at: Instant
        var slot: Int
        var condition: Condition?

        func precedes(_ other: Entry) -> Bool {
            if at != other.at { return at < other.at }
            switch (condition, other.condition) {
            case (nil, nil): return slot < other.slot
            case (nil, _?): return false
            case (_?, nil): return true
            case (let mine?, let theirs?):
                if slot != other.slot { return slot < other.slot }
                return mine < theirs
            }
        }
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }
    var first: Entry? { heap.first }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        siftUp(heap.count - 1)
    }

    mutating func popFirst() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let entry = heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
        return entry
    }

    /// Replaces the contents with `live` entries.
    mutating func rebuild(_ live: [Entry]) {
        heap = live
        for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, heap[left + 1].precedes(heap[left]) { smallest = left + 1 }
            guard heap[smallest].precedes(heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
