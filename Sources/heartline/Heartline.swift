import ArgumentParser

/// `heartline`: watch logs for proof that background jobs really ran.
@main
struct Heartline: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch logs for proof that background jobs really ran.",
        subcommands: [ReplayCommand.self, CheckCommand.self, TestCommand.self]
    )
}
