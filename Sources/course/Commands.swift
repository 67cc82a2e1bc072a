import ArgumentParser

/// Every subcommand, in the order `course --help` lists them.
enum Commands {
    static let all: [ParsableCommand.Type] = [
        Bench.self, SummaryCommand.self, TrainCommand.self, WeightsCommand.self,
    ]
}
