// How a lesson run is configured: command-line flags first, then COURSE_* environment variables,
// then defaults. `course run` and `make` pass flags; tests build RunOptions directly.
import Foundation

/// The settings of one lesson run.
///
/// | flag | environment | default |
/// |---|---|---|
/// | `--quick` / `--full` / `--paper` | `COURSE_MODE=quick|full|paper` (or `COURSE_QUICK=1`) | full |
/// | `--force` | `COURSE_FORCE=1` | off |
/// | `--seed N` | `COURSE_SEED=N` | 0 |
/// | `--lang zh|en` | `COURSE_LANG` | zh |
/// | `--output DIR` | `COURSE_OUTPUT=DIR` | `<package root>/Output` |
/// | `--root DIR` | `COURSE_ROOT=DIR` | found by walking up from the lesson for Package.swift |
/// | `--quiet` | `COURSE_QUIET=1` | transcript echoed to stdout |
public struct RunOptions: Equatable, Sendable {
    public var mode: RunMode = .full
    /// Recompute every cached step even when its entry is fresh (the new entries replace the old).
    public var force = false
    public var seed: UInt64 = 0
    /// Language of notes and exercises in the stdout transcript.
    public var language: Language = .zh
    /// The output root (`Output/`); nil means `<package root>/Output`.
    public var outputDirectory: URL?
    /// The package root; nil means: walk up from the lesson's sources to the first Package.swift.
    public var packageRoot: URL?
    /// Print the transcript to stdout while recording.
    public var echo = true
    /// Arguments the notebook did not recognise, left for the lesson.
    public var remainingArguments: [String] = []

    public init(mode: RunMode = .full, force: Bool = false, seed: UInt64 = 0, language: Language = .zh,
                outputDirectory: URL? = nil, packageRoot: URL? = nil, echo: Bool = true) {
        self.mode = mode; self.force = force; self.seed = seed; self.language = language
        self.outputDirectory = outputDirectory; self.packageRoot = packageRoot; self.echo = echo
    }

    /// True in quick mode.
    public var isQuick: Bool { mode == .quick }
    /// True in paper mode.
    public var isPaper: Bool { mode == .paper }

    /// Parses `arguments` (without the program name) over `environment`.
    /// - Throws: `NotebookError.badArgument` naming the flag or variable and the expected form.
    public static func parse(arguments: [String], environment: [String: String]) throws -> RunOptions {
        var options = RunOptions()
        func flagOn(_ value: String?) -> Bool { ["1", "true", "yes", "on"].contains(value?.lowercased() ?? "") }
        func seed(_ text: String, _ name: String) throws -> UInt64 {
            guard let value = UInt64(text) else { throw NotebookError.badArgument(name: name, value: text, expected: "a non-negative integer") }
            return value
        }
        func language(_ text: String, _ name: String) throws -> Language {
            guard let value = Language(rawValue: text.lowercased()) else { throw NotebookError.badArgument(name: name, value: text, expected: "zh or en") }
            return value
        }
        if let mode = environment["COURSE_MODE"] {
            guard let value = RunMode(rawValue: mode.lowercased()) else { throw NotebookError.badArgument(name: "COURSE_MODE", value: mode, expected: "quick, full or paper") }
            options.mode = value
        }
        if flagOn(environment["COURSE_QUICK"]) { options.mode = .quick }
        options.force = flagOn(environment["COURSE_FORCE"])
        options.echo = !flagOn(environment["COURSE_QUIET"])
        if let text = environment["COURSE_SEED"] { options.seed = try seed(text, "COURSE_SEED") }
        if let text = environment["COURSE_LANG"] { options.language = try language(text, "COURSE_LANG") }
        if let path = environment["COURSE_OUTPUT"], !path.isEmpty { options.outputDirectory = URL(fileURLWithPath: path, isDirectory: true) }
        if let path = environment["COURSE_ROOT"], !path.isEmpty { options.packageRoot = URL(fileURLWithPath: path, isDirectory: true) }

        var i = 0
        func value(_ flag: String) throws -> String {
            // Both `--seed 3` and `--seed=3`.
            if let eq = arguments[i].firstIndex(of: "=") { return String(arguments[i][arguments[i].index(after: eq)...]) }
            i += 1
            guard i < arguments.count else { throw NotebookError.badArgument(name: flag, value: "", expected: "a value after \(flag)") }
            return arguments[i]
        }
        while i < arguments.count {
            let flag = arguments[i].split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            switch flag {
            case "--quick": options.mode = .quick
            case "--full": options.mode = .full
            case "--paper": options.mode = .paper
            case "--force": options.force = true
            case "--quiet": options.echo = false
            case "--seed": options.seed = try seed(try value(flag), "--seed")
            case "--lang": options.language = try language(try value(flag), "--lang")
            case "--output": options.outputDirectory = URL(fileURLWithPath: try value(flag), isDirectory: true)
            case "--root": options.packageRoot = URL(fileURLWithPath: try value(flag), isDirectory: true)
            default: options.remainingArguments.append(arguments[i])
            }
            i += 1
        }
        return options
    }
}
