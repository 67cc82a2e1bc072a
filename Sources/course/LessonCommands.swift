// The lesson-facing commands: list lessons with their cache state, run one, weave handouts, publish
// figures, write the course book, and `course make`, which regenerates everything (`make` calls it).
import ArgumentParser
import Foundation
import Notebook
import Weave

/// Options every lesson command shares.
struct WorkspaceOptions: ParsableArguments {
    @Option(help: "Folder holding the lesson executables (default: the folder of this course binary).")
    var buildDirectory: String?
    @Option(help: "Output root (default: <package>/Output).")
    var output: String?

    func workspace() throws -> LessonWorkspace { try LessonWorkspace(buildDirectory: buildDirectory, output: output) }
}

/// Handout languages: zh, en or all.
enum LanguageChoice: String, ExpressibleByArgument, CaseIterable {
    case zh, en, all
    var languages: [Language] { self == .all ? [.zh, .en] : [Language(rawValue: rawValue)!] }
}

/// Prints the failure and exits non-zero (ArgumentParser prints other errors with usage text).
func reportingFailures(_ body: () throws -> Void) throws {
    do { try body() } catch let f as CourseFailure {
        FileHandle.standardError.write(Data("error: \(f)\n".utf8))
        throw ExitCode(1)
    }
}

struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons",
        abstract: "List the lessons with the cache state of each mode (fresh, stale, never run).")
    @OptionGroup var workspace: WorkspaceOptions
    @Flag(help: "Also print why a stale lesson is stale.") var verbose = false

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            guard !ws.lessons.isEmpty else { print("no lessons under \(ws.relative(ws.root.appendingPathComponent("Lessons")))"); return }
            print("lesson".padding(toLength: 14, withPad: " ", startingAt: 0) + "target".padding(toLength: 12, withPad: " ", startingAt: 0)
                  + "quick".padding(toLength: 11, withPad: " ", startingAt: 0) + "full".padding(toLength: 11, withPad: " ", startingAt: 0) + "paper")
            for lesson in ws.lessons {
                var line = lesson.folder.padding(toLength: 14, withPad: " ", startingAt: 0) + lesson.target.padding(toLength: 12, withPad: " ", startingAt: 0)
                var details: [String] = []
                for mode in RunMode.allCases {
                    let state = try LessonCacheState.compute(lesson: lesson.target, mode: mode, lessonDirectory: lesson.directory,
                                                             packageRoot: ws.root, outputRoot: ws.outputRoot)
                    line += mode == .paper ? state.status.rawValue : state.status.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                    for r in state.reasons { details.append("  \(mode.rawValue): \(r)") }
                    for s in state.steps where !s.isFresh { details.append("  \(mode.rawValue) · \(s.step): \(s.reasons.joined(separator: "; "))") }
                }
                print(line)
                if verbose { details.forEach { print($0) } }
            }
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run",
        abstract: "Run a lesson (through the experiment cache) and print its transcript.")
    @Argument(help: "Lesson folder or target name, or a unique prefix (L01).") var lesson: String?
    @Flag(help: "Run every lesson.") var all = false
    @Flag(help: "Quick mode: small data, few steps.") var quick = false
    @Flag(help: "Paper mode: the experiments at (closer to) the papers' scale; hours.") var paper = false
    @Flag(help: "Recompute every cached step.") var force = false
    @Option(help: "Seed for the lesson's random numbers.") var seed: UInt64?
    @Flag(help: "Print only the summary line of each lesson.") var quiet = false
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            guard all != (lesson != nil) else { throw CourseFailure(message: "name one lesson or pass --all", hint: nil) }
            guard !(quick && paper) else { throw CourseFailure(message: "--quick and --paper exclude each other", hint: nil) }
            let lessons = all ? ws.lessons : [try ws.lesson(lesson!)]
            var args = quick ? ["--quick"] : paper ? ["--paper"] : []
            if force { args.append("--force") }
            if let seed { args += ["--seed", String(seed)] }
            if quiet { args.append("--quiet") }
            for l in lessons {
                let status = try ws.run(l, arguments: args)
                if status != 0 { throw CourseFailure(message: "\(l.target) exited with status \(status)", hint: "its messages are above") }
            }
        }
    }
}

struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "handout",
        abstract: "Weave lesson handouts (Output/handouts/<lesson>.<lang>.pdf) from the source and the last run.")
    @Argument(help: "Lesson folder or target name, or a unique prefix.") var lesson: String?
    @Flag(help: "Every lesson.") var all = false
    @Option(help: "zh, en or all.") var lang: LanguageChoice = .all
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            guard all != (lesson != nil) else { throw CourseFailure(message: "name one lesson or pass --all", hint: nil) }
            let commit = ws.gitCommit()
            for l in all ? ws.lessons : [try ws.lesson(lesson!)] {
                for url in try ws.writeHandouts(l, languages: lang.languages, mode: nil, commit: commit) { print("wrote \(ws.relative(url))") }
            }
        }
    }
}

struct FiguresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "figures",
        abstract: "Publish every lesson's figures (PDF, PNG, SVG) to Output/figures/<lesson>/.")
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            let published = try ws.publishFigures()
            for p in published { print("\(p.written ? "wrote    " : "unchanged") \(ws.relative(p.url))") }
            if published.isEmpty { print("no figures yet (run the lessons first: `course run --all`)") }
        }
    }
}

struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "book",
        abstract: "Write the course book (Output/handouts/course.<lang>.pdf): every lesson, with a table of contents.")
    @Option(help: "zh, en or all.") var lang: LanguageChoice = .all
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            let ws = try workspace.workspace()
            for url in try ws.writeBook(languages: lang.languages, mode: nil, commit: ws.gitCommit()) { print("wrote \(ws.relative(url))") }
        }
    }
}

struct MakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "make",
        abstract: "Regenerate everything: run every lesson through the cache, then all handouts, the book and the figures.",
        discussion: """
        Lessons whose cached steps are fresh finish in seconds; an interrupted run leaves whole cache
        entries and whole files only, so running it again continues where it stopped. --paper runs the
        lessons in paper mode: the experiments at (closer to) the papers' scale, hours rather than minutes.
        """)
    @Flag(help: "Quick mode: small data, few steps.") var quick = false
    @Flag(help: "Paper-scale experiments (paper mode: more data, more epochs; hours).") var paper = false
    @Flag(help: "Recompute every cached step.") var force = false
    @OptionGroup var workspace: WorkspaceOptions

    func run() throws {
        try reportingFailures {
            guard !(quick && paper) else { throw CourseFailure(message: "--quick and --paper exclude each other", hint: nil) }
            let ws = try workspace.workspace()
            let start = Date()
            var written: [URL] = []
            var args = ["--quiet"] + (quick ? ["--quick"] : []) + (paper ? ["--paper"] : [])
            if force { args.append("--force") }
            for l in ws.lessons {
                let t0 = Date()
                let status = try ws.run(l, arguments: args)
                if status != 0 { throw CourseFailure(message: "\(l.target) exited with status \(status)", hint: "its messages are above") }
                let transcript = try Transcript.read(from: ws.transcriptURL(l))
                let hits = transcript.cache.filter { $0.outcome == .hit }.count
                print("ran  \(l.target): \(transcript.cache.count) cached steps, \(hits) hits, "
                      + String(format: "%.1f s", Date().timeIntervalSince(t0)))
                written.append(ws.transcriptURL(l))
            }
            let commit = ws.gitCommit()
            let mode: RunMode = quick ? .quick : paper ? .paper : .full
            for l in ws.lessons { written += try ws.writeHandouts(l, languages: [.zh, .en], mode: mode, commit: commit) }
            written += try ws.writeBook(languages: [.zh, .en], mode: mode, commit: commit)
            let figures = try ws.publishFigures()
            written += figures.map(\.url)
            print("wrote:")
            for url in written { print("  \(ws.relative(url))") }
            print(String(format: "done in %.1f s (%d lessons, %d files, %d figure files changed)", Date().timeIntervalSince(start),
                         ws.lessons.count, written.count, figures.filter(\.written).count))
        }
    }
}
