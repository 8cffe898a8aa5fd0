import Foundation
import HeartlineInput
import Testing

struct PatternDirectoryTests {
    @Test func loadsEveryYamlFileDirectlyInTheDirectorySortedByName() throws {
        let directory = try TemporaryDirectory()
        try directory.write("mailer.yaml", "service: mailer\n")
        try directory.write("backup.yaml", "service: backup\n")
        try directory.write("Zeta.yaml", "service: zeta\n")
        try directory.write("notes.txt", "not a pattern file")
        try directory.write("backup.yaml.bak", "old")
        try directory.write(".hidden.yaml", "service: hidden\n")
        try FileManager.default.createDirectory(
            atPath: directory.path + "/nested.yaml", withIntermediateDirectories: false)
        try directory.write("nested.yaml/inner.yaml", "service: inner\n")
        let files = try PatternDirectory.load(directory.path)
        #expect(files.map(\.path) == ["Zeta", "backup", "mailer"].map { directory.path + "/\($0).yaml" })
        #expect(files.map(\.text) == ["service: zeta\n", "service: backup\n", "service: mailer\n"])
    }

    @Test func trailingSlashIsNotDoubled() throws {
        let directory = try TemporaryDirectory()
        try directory.write("a.yaml", "service: a\n")
        #expect(try PatternDirectory.load(directory.path + "/").map(\.path) == [directory.path + "/a.yaml"])
    }

    @Test func singleFileIsAccepted() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("only.yaml", "service: only\n")
        let files = try PatternDirectory.load(path)
        #expect(files.map(\.path) == [path])
        #expect(files.map(\.text) == ["service: only\n"])
    }

    @Test func emptyDirectoryGivesNoFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(try PatternDirectory.load(directory.path).isEmpty)
    }

    @Test func missingDirectorySaysSo() throws {
        let error = try #require(throws: InputError.self) { try PatternDirectory.load("/nonexistent/patterns.d") }
        #expect(error.code == .notFound)
        #expect(error.description == "/nonexistent/patterns.d: no such file or directory")
    }

    @Test func danglingLinkIsNamed() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: directory.path + "/gone.yaml", withDestinationPath: "/nonexistent")
        let error = try #require(throws: InputError.self) { try PatternDirectory.load(directory.path) }
        #expect(error.code == .notFound)
        #expect(error.path == directory.path + "/gone.yaml")
    }

    @Test func invalidUTF8FileIsRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("bad.yaml", [0x73, 0x3A, 0x20, 0xFF, 0x0A])
        let error = try #require(throws: InputError.self) { try PatternDirectory.load(directory.path) }
        #expect(error.code == .invalidText)
        #expect(error.description == "\(directory.path)/bad.yaml: not valid UTF-8 text; pattern files must be UTF-8")
    }

    @Test func hugeFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("huge.yaml", [UInt8](repeating: 0x20, count: PatternDirectory.maxFileBytes + 1))
        let error = try #require(throws: InputError.self) { try PatternDirectory.load(path) }
        #expect(error.code == .tooLarge)
    }

    @Test(.disabled(if: getuid() == 0, "root may read any file"))
    func unreadableFileSaysPermissionDenied() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("locked.yaml", "service: locked\n")
        chmod(path, 0)
        let error = try #require(throws: InputError.self) { try PatternDirectory.load(directory.path) }
        #expect(error.code == .permissionDenied)
        #expect(error.description == "\(path): permission denied")
    }
}
