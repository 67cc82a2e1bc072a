import ArgumentParser

/// `course`: the kit's command-line tool, thin over the modules.
@main
struct Course: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "course",
        abstract: "The CNN-architectures course kit: lessons, figures, handouts, benchmarks and grading.",
        subcommands: Commands.all
    )
}
