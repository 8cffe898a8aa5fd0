import ArgumentParser
import Foundation
import HeartlineInput
import HeartlineReplay

/// `--library DIR`: where `extends:` finds the pattern files it names, for every command that loads
/// pattern files.
struct LibraryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "A directory of pattern files that 'extends:' may name; searched before HEARTLINE_LIBRARY and "
                + "\(LibrarySearchPath.systemDirectory) (repeatable).",
            valueName: "dir"))
    var library: [String] = []

    /// The `--library` directories, then the defaults (`HEARTLINE_LIBRARY`, the source tree's
    /// `Patterns/`, the system directory).
    var searchPath: LibrarySearchPath {
        LibrarySearchPath.standard(
            named: library, environment: ProcessInfo.processInfo.environment,
            executablePath: Bundle.main.executablePath)
    }
}
