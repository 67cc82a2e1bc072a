import ArgumentParser

/// Every subcommand, in the order `course --help` lists them.
enum Commands {
    static let all: [ParsableCommand.Type] = [
        MakeCommand.self, LessonsCommand.self, RunCommand.self, HandoutCommand.self, FiguresCommand.self, BookCommand.self,
        SummaryCommand.self, ProfileCommand.self, TrainCommand.self, ClassifyCommand.self, Bench.self, WeightsCommand.self, GalleryCommand.self,
        SheetsCommand.self, GradeCommand.self, KeyCommand.self,
    ]
}
