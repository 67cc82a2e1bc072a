import ArgumentParser

/// Every subcommand, in the order `course --help` lists them.
enum Commands {
    static let all: [ParsableCommand.Type] = [
        SummaryCommand.self, Bench.self, WeightsCommand.self, ClassifyCommand.self, GalleryCommand.self,
    ]
}
