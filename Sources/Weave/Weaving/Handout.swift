// The woven handout: a lesson's source and transcript merged, in one language, as a flat list of
// elements in reading order. Weaving decides *what* goes where; `HandoutLayout` decides pages.
import Foundation
import Notebook

/// Where a handout came from, printed in its footer.
public struct Provenance: Equatable, Sendable {
    public var lesson: String
    /// `git rev-parse --short HEAD` of the kit, nil outside a git checkout.
    public var gitCommit: String?
    public var mode: RunMode
    public var seed: UInt64
    /// When the lesson ran (the transcript's start time).
    public var runDate: Date
    /// Step name, first 12 hex digits of its cache key, and how it was satisfied.
    public var cacheKeys: [(step: String, key: String, outcome: CacheOutcome)]

    public init(lesson: String, gitCommit: String?, mode: RunMode, seed: UInt64, runDate: Date,
                cacheKeys: [(step: String, key: String, outcome: CacheOutcome)]) {
        self.lesson = lesson; self.gitCommit = gitCommit; self.mode = mode; self.seed = seed
        self.runDate = runDate; self.cacheKeys = cacheKeys
    }

    /// The provenance of a transcript.
    public init(transcript: Transcript, gitCommit: String?) {
        self.init(lesson: transcript.lesson, gitCommit: gitCommit, mode: transcript.mode, seed: transcript.seed,
                  runDate: transcript.startedAt,
                  cacheKeys: transcript.cache.map { ($0.step, String($0.key.prefix(12)), $0.outcome) })
    }

    public static func == (a: Provenance, b: Provenance) -> Bool {
        a.lesson == b.lesson && a.gitCommit == b.gitCommit && a.mode == b.mode && a.seed == b.seed && a.runDate == b.runDate
            && a.cacheKeys.map { "\($0.step) \($0.key) \($0.outcome)" } == b.cacheKeys.map { "\($0.step) \($0.key) \($0.outcome)" }
    }

    /// The footer lines in `language`.
    public func lines(for language: Language) -> [String] {
        let zh = language == .zh
        let date = ISO8601DateFormatter.string(from: runDate, timeZone: TimeZone(identifier: "UTC")!,
                                               formatOptions: [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime])
        var first = (zh ? "课程 " : "Lesson ") + lesson
        first += " · commit " + (gitCommit ?? (zh ? "未知" : "unknown"))
        first += " · " + (zh ? "种子 " : "seed ") + String(seed)
        first += " · " + (zh ? "模式 " : "mode ") + mode.rawValue
        first += " · " + (zh ? "运行于 " : "run ") + date + " UTC"
        var lines = [first]
        if cacheKeys.isEmpty {
            lines.append(zh ? "无缓存步骤" : "no cached steps")
        } else {
            lines.append((zh ? "缓存键: " : "cache keys: ")
                         + cacheKeys.map { "\($0.step) \($0.key) (\($0.outcome.rawValue))" }.joined(separator: "; "))
        }
        return lines
    }
}

/// One element of a woven handout.
public enum HandoutElement: Equatable, Sendable {
    case heading(level: Int, markup: String, plain: String)
    case paragraph(markup: String)
    case listItem(marker: String, markup: String)
    case formula(markup: String)
    /// A code listing; `lines` are the source lines it came from.
    case code(text: String, lines: ClosedRange<Int>)
    /// A folded code block: only its title is printed.
    case folded(title: String, lines: ClosedRange<Int>)
    /// Text outputs (values) of one code block, in recording order; `outputs` are transcript indices.
    case output(lines: [String], outputs: [Int])
    case table(TableRecord, number: Int, output: Int)
    /// `file` is the figure's path relative to the output root (a PNG when one exists, for embedding).
    case figure(FigureRecord, number: Int, file: String, output: Int)
    case note(markup: String, output: Int)
    case exercise(markup: String, grader: String?, output: Int)
}

/// A lesson woven in one language.
public struct Handout: Sendable {
    public var lesson: String
    public var language: Language
    /// The first level-1 heading of the prose (the lesson's name if there is none).
    public var title: String
    /// Everything after the title, in reading order.
    public var elements: [HandoutElement]
    public var provenance: Provenance
    /// Things the reader should know went wrong in the run (missing figures, …).
    public var problems: [String]

    public init(lesson: String, language: Language, title: String, elements: [HandoutElement], provenance: Provenance, problems: [String]) {
        self.lesson = lesson; self.language = language; self.title = title; self.elements = elements
        self.provenance = provenance; self.problems = problems
    }

    /// Headings of level 2 (sections), for a table of contents.
    public var sections: [String] {
        elements.compactMap { if case let .heading(2, _, plain) = $0 { plain } else { nil } }
    }
}
