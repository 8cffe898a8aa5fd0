import Foundation
import HeartlineCore
import HeartlineInput
import Testing

struct PatternDirectoryLibraryTests {
    @Test func aNameIsFoundInTheFirstDirectoryThatHasIt() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        try first.write("restic.yaml", "first")
        try second.write("restic.yaml", "second")
        try second.write("rsync.yaml", "rsync")
        try second.write("notes.txt", "not a pattern file")
        let library = try PatternDirectory.library([first.path, second.path], required: [])
        #expect(library.names == ["restic", "rsync"])
        #expect(
            try library.file(named: "restic")
                == PatternLibrary.File(name: "restic", path: first.path + "/restic.yaml", text: "first"))
        #expect(try library.file(named: "rsync")?.path == second.path + "/rsync.yaml")
        #expect(try library.file(named: "notes") == nil)
    }

    @Test func aMissingDefaultDirectoryIsSkippedAndNoted() throws {
        let present = try TemporaryDirectory()
        let library = try PatternDirectory.library(["/nonexistent/heartline", present.path], required: [])
        #expect(
            library.directories == [
                PatternLibrary.Directory(path: "/nonexistent/heartline", exists: false),
                PatternLibrary.Directory(path: present.path),
            ])
    }

    @Test func aMissingNamedDirectoryIsAnError() throws {
        let error = try #require(throws: InputError.self) {
            try PatternDirectory.library(["/nonexistent/lib"], required: ["/nonexistent/lib"])
        }
        #expect(error.description == "/nonexistent/lib: no such pattern library directory")
    }

    @Test func aFileIsNotALibraryDirectory() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("restic.yaml", "jobs: []")
        let error = try #require(throws: InputError.self) { try PatternDirectory.library([file], required: []) }
        #expect(error.description == "\(file): not a directory; a pattern library is a directory of NAME.yaml files")
    }

    @Test func aDirectoryGivenTwiceIsSearchedOnce() throws {
        let directory = try TemporaryDirectory()
        let library = try PatternDirectory.library([directory.path, directory.path], required: [directory.path])
        #expect(library.directories == [PatternLibrary.Directory(path: directory.path)])
    }

    @Test func aLibraryFileIsReadOnlyWhenAskedFor() throws {
        let directory = try TemporaryDirectory()
        try directory.write("good.yaml", "jobs: [{ name: a, success: b }]")
        try directory.write("broken.yaml", [0x6A, 0xFF, 0xFE])
        let library = try PatternDirectory.library([directory.path], required: [])
        #expect(try library.file(named: "good")?.text == "jobs: [{ name: a, success: b }]")
        let error = try #require(throws: InputError.self) { try library.file(named: "broken") }
        #expect(error.code == .invalidText)
    }
}
