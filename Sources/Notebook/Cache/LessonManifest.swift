// The per-lesson manifest: the keys (and key inputs) of the last complete run, so `course
// lessons` can say fresh / stale / never run without running any experiment. Stored as
// Output/cache/manifests/<lesson>.<mode>.json, written atomically by `Notebook.finish()`.
import Foundation

/// The cache keys of a lesson's last complete run in one mode.
public struct LessonManifest: Codable, Equatable, Sendable {
    /// How a step's entry is stored.
    public enum EntryKind: String, Codable, Sendable { case json, directory }

    /// One cached step of the run, in execution order.
    public struct Step: Codable, Equatable, Sendable {
        public var step: String
        public var kind: EntryKind
        public var inputs: CacheKeyInputs
        public var key: String { inputs.key }
    }

    public var schema = 1
    public var lesson: String
    public var mode: RunMode
    public var seed: UInt64
    public var finishedAt: Date
    /// `LessonCode.wholeCodeSHA256` at the time of the run.
    public var wholeCodeSHA256: String
    public var engineSources: [String]
    public var engineSHA256: String
    public var steps: [Step]

    /// `Output/cache/manifests/<lesson>.<mode>.json`.
    public static func url(outputRoot: URL, lesson: String, mode: RunMode) -> URL {
        outputRoot.appendingPathComponent("cache/manifests/\(lesson).\(mode.rawValue).json")
    }

    public static func read(from url: URL) throws -> LessonManifest {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw NotebookError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        let decoder = JSONDecoder(); decoder.dateDecodingStrategy = .iso8601
        do { return try decoder.decode(LessonManifest.self, from: data) } catch {
            throw NotebookError.unreadable(path: url.path, reason: "not a lesson manifest: \(ExperimentCache.describe(error))")
        }
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(self), to: url)
    }
}

/// Cache state of a lesson as `course lessons` lists it.
public struct LessonCacheState: Equatable, Sendable {
    public enum Status: String, Sendable {
        /// Every cached step would hit and the lesson's code and engine are unchanged.
        case fresh
        /// Some step would recompute, or the code or engine changed since the last run.
        case stale
        /// No complete run in this mode.
        case neverRun = "never run"
    }

    /// One step: fresh, or the reasons it would recompute.
    public struct StepState: Equatable, Sendable {
        public var step: String
        public var key: String
        public var reasons: [String]
        public var isFresh: Bool { reasons.isEmpty }
    }

    public var lesson: String
    public var mode: RunMode
    public var status: Status
    /// Lesson-level reasons (code or engine changed).
    public var reasons: [String]
    public var steps: [StepState]
    public var lastRun: Date?

    /// Computes the state from the manifest and the current sources, without running anything.
    /// Prose edits (and comment or layout edits) leave a fresh lesson fresh.
    /// - Parameters:
    ///   - lessonDirectory: the lesson's source folder (`Lessons/L01-LRN`).
    ///   - packageRoot: resolves the engine sources and data paths recorded in the manifest.
    public static func compute(lesson: String, mode: RunMode, lessonDirectory: URL, packageRoot: URL,
                               outputRoot: URL) throws -> LessonCacheState {
        let manifestURL = LessonManifest.url(outputRoot: outputRoot, lesson: lesson, mode: mode)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            return LessonCacheState(lesson: lesson, mode: mode, status: .neverRun, reasons: [], steps: [], lastRun: nil)
        }
        let manifest = try LessonManifest.read(from: manifestURL)
        let code = try LessonCode(directory: lessonDirectory)
        func resolve(_ path: String) -> URL { path.hasPrefix("/") ? URL(fileURLWithPath: path) : packageRoot.appendingPathComponent(path) }
        let engine = try SourceTree.digest(of: manifest.engineSources.map(resolve), names: manifest.engineSources)
        let shared = code.sharedCodeSHA256, calls = code.callSHA256s, whole = code.wholeCodeSHA256
        let cache = ExperimentCache(directory: outputRoot.appendingPathComponent("cache", isDirectory: true))

        var reasons: [String] = []
        if whole != manifest.wholeCodeSHA256 { reasons.append("lesson code changed since the last run") }
        if engine != manifest.engineSHA256 { reasons.append("engine sources changed since the last run") }
        var staleSteps: Set<String> = []
        var steps: [StepState] = []
        for step in manifest.steps {
            let inputs = step.inputs
            var why: [String] = []
            if inputs.lessonCodeSHA256 != shared { why.append("lesson code changed") }
            // A call found by line has its own digest; an unlocated one used the whole-code digest.
            if !calls.contains(inputs.stepCodeSHA256) && inputs.stepCodeSHA256 != whole { why.append("the step's code changed") }
            if inputs.engineSHA256 != (inputs.engineModules == manifest.engineSources ? engine
                : try SourceTree.digest(of: inputs.engineModules.map(resolve), names: inputs.engineModules)) {
                why.append("engine sources changed")
            }
            for file in inputs.dataFiles {
                let url = resolve(file.path)
                if !FileManager.default.fileExists(atPath: url.path) { why.append("data file \(file.path) is missing") }
                else if try SHA256.hex(ofFile: url) != file.sha256 { why.append("data file \(file.path) changed") }
            }
            for up in inputs.upstream where staleSteps.contains(up.step) { why.append("upstream step \(up.step) is stale") }
            let present: Bool
            switch step.kind {
            case .json: if case .hit = cache.lookup(key: step.key, as: IgnoredValue.self) { present = true } else { present = false }
            case .directory: if case .hit = cache.lookupDirectory(key: step.key) { present = true } else { present = false }
            }
            if !present { why.append("cache entry missing or unreadable") }
            if !why.isEmpty { staleSteps.insert(step.step) }
            steps.append(StepState(step: step.step, key: step.key, reasons: why))
        }
        let status: Status = reasons.isEmpty && staleSteps.isEmpty ? .fresh : .stale
        return LessonCacheState(lesson: lesson, mode: mode, status: status, reasons: reasons, steps: steps, lastRun: manifest.finishedAt)
    }
}

/// Decodes any JSON value and keeps nothing: checks an entry's envelope without knowing its type.
private struct IgnoredValue: Codable {
    init(from decoder: Decoder) throws {}
    func encode(to encoder: Encoder) throws {}
}
