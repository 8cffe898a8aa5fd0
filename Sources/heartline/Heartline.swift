import ArgumentParser

/// `heartline`: watch logs for proof that background jobs really ran.
@main
struct Heartline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch logs for proof that background jobs really ran.",
        subcommands: [
            RunCommand.self, StatusCommand.self, ReplayCommand.self, CheckCommand.self, TestCommand.self,
            MatchCommand.self, DiscoverCommand.self,
        ]
    )
}
