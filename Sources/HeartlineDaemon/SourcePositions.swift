import Foundation
import HeartlineCore
import HeartlineSources

/// Where each source has been read up to: saved with every checkpoint, handed back to the sources
/// on start so that no line is lost or counted twice (SPEC §4).
struct SourcePositions {
    /// The journal's resume point: the cursor of the last entry read and its time, for the
    /// vacuum fallback.
    struct Journal: Codable, Hashable {
        var cursor: String
        var realtime: Instant?
    }

    private(set) var files: [String: FilePosition] = [:]
    private(set) var journal: Journal?
    /// Keys changed since the last ``encodedChanges()``.
    private var changed: Set<String> = []

    init() {}

    /// Reads positions saved by ``encodedChanges()``; entries that do not decode are dropped.
    init(saved: [String: Data]) {
        let decoder = JSONDecoder()
        for (key, data) in saved {
            if key == "journal" {
                journal = try? decoder.decode(Journal.self, from: data)
            } else if key.hasPrefix("file:"), let position = try? decoder.decode(FilePosition.self, from: data) {
                files[String(key.dropFirst(5))] = position
            }
        }
    }

    mutating func record(_ position: FilePosition) {
        files[position.path] = position
        changed.insert("file:" + position.path)
    }

    mutating func record(journalCursor cursor: String, realtime: Instant?) {
        journal = Journal(cursor: cursor, realtime: realtime)
        changed.insert("journal")
    }

    var hasChanges: Bool { !changed.isEmpty }

    /// Marks every position changed, so that the next ``encodedChanges()`` holds them all: after a
    /// commit that failed, what it carried must go with the next one.
    mutating func markAllChanged() {
        changed.formUnion(files.keys.map { "file:" + $0 })
        if journal != nil { changed.insert("journal") }
    }

    /// The positions changed since the last call, encoded for the state store.
    mutating func encodedChanges() -> [String: Data] {
        let encoder = JSONEncoder()
        var out: [String: Data] = [:]
        for key in changed {
            if key == "journal" {
                out[key] = try? encoder.encode(journal)
            } else {
                out[key] = try? encoder.encode(files[String(key.dropFirst(5))])
            }
        }
        changed.removeAll()
        return out
    }
}
