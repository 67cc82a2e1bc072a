// What one lesson run recorded: the data model the weaver (in `course`) consumes. Codable, written
// as Output/<lesson>/transcript.json. Field names are the JSON keys; keep them stable.
import Foundation

/// Text in both handout languages. A string literal sets both to the same text.
public struct Bilingual: Codable, Equatable, Sendable, ExpressibleByStringLiteral {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    public init(_ both: String) { zh = both; en = both }
    public init(stringLiteral value: String) { self.init(value) }
    /// The text in `language`.
    public func text(for language: Language) -> String { language == .zh ? zh : en }
}

/// The scale of a run: quick (small data, few steps; what the tests run), full (the default:
/// the handouts' figures, what `make` runs) or paper (closer to the papers' set-ups: more data,
/// more epochs; for a user with hours to spare, `make paper`). The mode enters every cache key.
public enum RunMode: String, Codable, Sendable, CaseIterable {
    case quick, full, paper
}

/// Where an output was recorded: the call site's `#fileID` and `#line`, and the innermost cell.
public struct SourceLocation: Codable, Equatable, Sendable {
    public init(fileID: String, line: Int) { self.fileID = fileID; self.line = line }
    /// `#fileID` of the call, e.g. `l01_lrn/main.swift`.
    public var fileID: String
    public var line: Int
    /// The file name part of `fileID` (`main.swift`).
    public var fileName: String { String(fileID.split(separator: "/").last ?? Substring(fileID)) }
}

/// A figure file the lesson wrote; the notebook records it, it never draws.
public struct FigureRecord: Codable, Equatable, Sendable {
    public init(name: String, caption: Bilingual, path: String, alternates: [String], exists: Bool) {
        self.name = name; self.caption = caption; self.path = path; self.alternates = alternates; self.exists = exists
    }
    /// File name as passed to `figure(_:caption:)`, e.g. `fig-01-lrn.svg`.
    public var name: String
    public var caption: Bilingual
    /// Path relative to the output root (`l01-lrn/fig-01-lrn.svg`).
    public var path: String
    /// Sibling files with the same stem and another extension (pdf, png, svg), relative to the output root.
    public var alternates: [String]
    /// False when the file did not exist when it was registered (also listed in `problems`).
    public var exists: Bool
}

/// A table of already-formatted cells.
public struct TableRecord: Codable, Equatable, Sendable {
    public init(header: [String], rows: [[String]], caption: Bilingual?) {
        self.header = header; self.rows = rows; self.caption = caption
    }
    public var header: [String]
    public var rows: [[String]]
    public var caption: Bilingual?
}

/// An exercise box; `grader` names the Grader exercise that checks it, if any.
public struct ExerciseRecord: Codable, Equatable, Sendable {
    public init(prompt: Bilingual, grader: String?) { self.prompt = prompt; self.grader = grader }
    public var prompt: Bilingual
    public var grader: String?
}

/// What an output is.
public enum OutputContent: Codable, Equatable, Sendable {
    /// `show(label, value)`: the value's text (floats at 4 significant digits).
    case value(label: String?, text: String)
    case table(TableRecord)
    case figure(FigureRecord)
    case note(Bilingual)
    case exercise(ExerciseRecord)

    /// A short kind name for listings: value, table, figure, note, exercise.
    public var kind: String {
        switch self {
        case .value: "value"
        case .table: "table"
        case .figure: "figure"
        case .note: "note"
        case .exercise: "exercise"
        }
    }
}

/// One recorded output, in recording order.
public struct RecordedOutput: Codable, Equatable, Sendable {
    public init(index: Int, location: SourceLocation, cell: String?, content: OutputContent) {
        self.index = index; self.location = location; self.cell = cell; self.content = content
    }
    /// Position in the transcript (0-based); figures and tables are numbered by the weaver.
    public var index: Int
    public var location: SourceLocation
    /// Name of the innermost `cell` the output was recorded in.
    public var cell: String?
    public var content: OutputContent
}

/// A `cell(name) { … }` region.
public struct CellRecord: Codable, Equatable, Sendable {
    public init(name: String, location: SourceLocation, firstOutput: Int, endOutput: Int, seconds: Double) {
        self.name = name; self.location = location; self.firstOutput = firstOutput; self.endOutput = endOutput; self.seconds = seconds
    }
    public var name: String
    public var location: SourceLocation
    /// Outputs recorded inside the cell: `outputs[firstOutput..<endOutput]`.
    public var firstOutput: Int
    public var endOutput: Int
    public var seconds: Double
}

/// How a cached step was satisfied.
public enum CacheOutcome: String, Codable, Sendable {
    /// A valid entry with this key was read.
    case hit
    /// No entry existed and none had been recorded for this step before.
    case computed
    /// The step had run before with another key (an input changed).
    case stale
    /// `--force` recomputed it.
    case forced
    /// An entry existed but could not be read (bad JSON, wrong type); it was recomputed.
    case corrupt
}

/// One use of the experiment cache.
public struct CacheUse: Codable, Equatable, Sendable {
    public init(step: String, key: String, outcome: CacheOutcome, location: SourceLocation, seconds: Double,
                computeSeconds: Double, inputs: CacheKeyInputs) {
        self.step = step; self.key = key; self.outcome = outcome; self.location = location; self.seconds = seconds
        self.computeSeconds = computeSeconds; self.inputs = inputs
    }
    public var step: String
    /// 64 hex digits; the entry is Output/cache/<key>.json or Output/cache/<key>/.
    public var key: String
    public var outcome: CacheOutcome
    public var location: SourceLocation
    /// Time spent in this run (reading the entry on a hit).
    public var seconds: Double
    /// Time the computation took when the entry was made.
    public var computeSeconds: Double
    /// The inputs the key was hashed from.
    public var inputs: CacheKeyInputs
}

/// A source file the run depended on, with digests of its full text and of its code alone.
public struct SourceFileRecord: Codable, Equatable, Sendable {
    public init(path: String, textSHA256: String, codeSHA256: String) {
        self.path = path; self.textSHA256 = textSHA256; self.codeSHA256 = codeSHA256
    }
    /// Path relative to the package root.
    public var path: String
    public var textSHA256: String
    public var codeSHA256: String
}

/// Everything one lesson run recorded.
public struct Transcript: Codable, Equatable, Sendable {
    public init(lesson: String, mode: RunMode, seed: UInt64, language: Language, startedAt: Date, seconds: Double,
                sources: [SourceFileRecord], outputs: [RecordedOutput], cells: [CellRecord], cache: [CacheUse], problems: [String]) {
        self.lesson = lesson; self.mode = mode; self.seed = seed; self.language = language; self.startedAt = startedAt
        self.seconds = seconds; self.sources = sources; self.outputs = outputs; self.cells = cells; self.cache = cache
        self.problems = problems
    }
    public static let currentSchema = 1
    public var schema: Int = Transcript.currentSchema
    public var lesson: String
    public var mode: RunMode
    public var seed: UInt64
    public var language: Language
    /// When the run started (ISO 8601 in the JSON).
    public var startedAt: Date
    /// Wall-clock seconds from `Notebook(…)` to `finish()`.
    public var seconds: Double
    /// The lesson's files (main.swift first, then helpers by name).
    public var sources: [SourceFileRecord]
    public var outputs: [RecordedOutput]
    public var cells: [CellRecord]
    public var cache: [CacheUse]
    /// Things that went wrong without stopping the run (missing figure files, unwritable cache entries).
    public var problems: [String]

    /// Encodes as stable, human-diffable JSON (sorted keys, ISO 8601 dates).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Reads a transcript written by `Notebook.finish()`.
    /// - Throws: `NotebookError.unreadable` naming the file and the decoding problem.
    public static func read(from url: URL) throws -> Transcript {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NotebookError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(Transcript.self, from: data) } catch {
            throw NotebookError.unreadable(path: url.path, reason: "not a transcript: \(error)")
        }
    }
}
