// The lesson runtime: `let nb = Notebook("l01-lrn")` at the top of a lesson, `nb.finish()` at the
// end. It records outputs with their call sites, runs cached steps, and writes the transcript.
import Foundation

/// A running lesson: records outputs and cached steps, then writes Output/<lesson>/transcript.json.
///
/// ```swift
/// let nb = Notebook("l01-lrn")            // reads --quick, --force, --seed N, COURSE_OUTPUT, …
/// nb.show("b", 0.5)                       // prints "b: 0.5000", remembers main.swift:<line>
/// nb.finish()                             // writes Output/l01-lrn/transcript.json
/// ```
/// Thread-safe: outputs may be recorded from any thread (they are ordered by arrival).
public final class Notebook: @unchecked Sendable {
    /// The engine's source folders hashed into every cache key, relative to the package root.
    public static let defaultEngineSources = ["Sources/CNN", "Sources/Datasets", "Sources/Training", "Sources/Zoo"]

    /// The lesson's name, e.g. `l01-lrn`; names the output folder.
    public let name: String
    public let options: RunOptions
    /// `Output/` (the output root).
    public let outputRoot: URL
    /// `Output/<lesson>/`: where the lesson writes its figures.
    public let directory: URL
    /// The package root, or nil when it could not be found.
    public let packageRoot: URL?
    /// The folder of the lesson's sources, or nil when it could not be found (cached steps then throw).
    public let lessonDirectory: URL?
    /// Engine source folders or files hashed into cache keys (relative to the package root, or absolute).
    public let engineSources: [String]
    public let cache: ExperimentCache

    let lock = NSLock()
    var outputs: [RecordedOutput] = []
    var cells: [CellRecord] = []
    var openCells: [(name: String, location: SourceLocation, firstOutput: Int, start: Date)] = []
    var cacheUses: [CacheUse] = []
    var problems: [String] = []
    var stepResults: [(step: String, resultSHA256: String)] = []
    var manifestSteps: [LessonManifest.Step] = []
    var lessonCodeStorage: Result<LessonCode, NotebookError>?
    var engineDigestStorage: String?
    var dataDigests: [String: String] = [:]
    let previousManifest: LessonManifest?
    let startedAt = Date()
    let terminatesOnProblems: Bool
    var finished = false

    /// The seed of this run (`--seed`, default 0); lessons pass it to `Random.seed`.
    public var seed: UInt64 { options.seed }
    public var mode: RunMode { options.mode }
    /// True in quick mode: lessons use small data and few steps.
    public var isQuick: Bool { options.isQuick }
    /// True in paper mode (`--paper`): the papers' scale, hours rather than minutes.
    public var isPaper: Bool { options.isPaper }

    /// Starts a lesson from the command line and environment (see `RunOptions`). `file` locates
    /// the lesson's sources (its folder) and, above it, the package root. A bad flag prints the
    /// error and exits with status 2; `finish()` exits with status 1 if problems were recorded.
    public convenience init(_ name: String, file: String = #filePath) {
        do {
            let options = try RunOptions.parse(arguments: Array(CommandLine.arguments.dropFirst()),
                                               environment: ProcessInfo.processInfo.environment)
            try self.init(name, options: options, lessonDirectory: URL(fileURLWithPath: file).deletingLastPathComponent(),
                          terminatesOnProblems: true)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(2)
        }
    }

    /// Starts a lesson with explicit settings (tests, tools).
    /// - Parameters:
    ///   - lessonDirectory: the folder holding main.swift; if it does not exist, `Lessons/<name>`
    ///     under the package root is tried (case-insensitively).
    ///   - engineSources: folders or files hashed as "the engine" into cache keys.
    /// - Throws: `NotebookError.unwritable` if the output folder cannot be created.
    public init(_ name: String, options: RunOptions, lessonDirectory: URL?,
                engineSources: [String] = Notebook.defaultEngineSources, terminatesOnProblems: Bool = false) throws {
        precondition(!name.isEmpty && !name.contains("/"), "Notebook: lesson name '\(name)' must be non-empty and contain no '/'")
        self.name = name
        self.options = options
        self.engineSources = engineSources
        self.terminatesOnProblems = terminatesOnProblems
        let fm = FileManager.default
        var lessonDir = lessonDirectory.flatMap { fm.fileExists(atPath: $0.path) ? $0 : nil }
        let root = options.packageRoot ?? lessonDir.flatMap(SourceTree.packageRoot(startingAt:))
            ?? SourceTree.packageRoot(startingAt: URL(fileURLWithPath: fm.currentDirectoryPath))
        if lessonDir == nil, let root {
            let lessons = root.appendingPathComponent("Lessons")
            let match = (try? fm.contentsOfDirectory(atPath: lessons.path))?.first { $0.lowercased() == name.lowercased() }
            lessonDir = match.map { lessons.appendingPathComponent($0, isDirectory: true) }
        }
        self.packageRoot = root
        self.lessonDirectory = lessonDir
        self.outputRoot = options.outputDirectory
            ?? (root ?? URL(fileURLWithPath: fm.currentDirectoryPath)).appendingPathComponent("Output", isDirectory: true)
        self.directory = outputRoot.appendingPathComponent(name, isDirectory: true)
        self.cache = ExperimentCache(directory: outputRoot.appendingPathComponent("cache", isDirectory: true))
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw NotebookError.unwritable(path: directory.path, reason: error.localizedDescription)
        }
        previousManifest = try? LessonManifest.read(from: LessonManifest.url(outputRoot: outputRoot, lesson: name, mode: options.mode))
        cache.removeAbandonedTemporaries()
        if options.echo {
            print("═══ \(name) · \(options.mode.rawValue) · seed \(options.seed)\(options.force ? " · force" : "") ═══")
        }
    }

    /// The path of a figure file in the lesson's output folder, for the lesson to draw into.
    public func figureURL(_ fileName: String) -> URL { directory.appendingPathComponent(fileName) }

    // MARK: - Internal helpers

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    func echo(_ lines: [String]) {
        guard options.echo else { return }
        print(lines.joined(separator: "\n"))
    }

    func report(_ problem: String) {
        withLock { problems.append(problem) }
        FileHandle.standardError.write(Data("\(name): \(problem)\n".utf8))
    }

    /// The lesson's code, read once.
    func lessonCode() throws -> LessonCode {
        try withLock {
            if lessonCodeStorage == nil {
                if let dir = lessonDirectory {
                    do { lessonCodeStorage = .success(try LessonCode(directory: dir)) } catch let error as NotebookError {
                        lessonCodeStorage = .failure(error)
                    } catch {
                        lessonCodeStorage = .failure(.unreadable(path: dir.path, reason: "\(error)"))
                    }
                } else {
                    lessonCodeStorage = .failure(.sourcesNotFound(
                        searched: "the folder of the file passed to Notebook(…) and Lessons/\(name)",
                        hint: "set COURSE_ROOT (or --root) to the package root"))
                }
            }
            return try lessonCodeStorage!.get()
        }
    }

    /// Engine source URLs for `engineSources`.
    func engineURLs() -> [URL] {
        engineSources.map { path in
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : (packageRoot ?? URL(fileURLWithPath: ".")).appendingPathComponent(path)
        }
    }

    /// The engine digest, computed once per run.
    func engineDigest() throws -> String {
        if let digest = withLock({ engineDigestStorage }) { return digest }
        let digest = try SourceTree.digest(of: engineURLs(), names: engineSources)
        withLock { engineDigestStorage = digest }
        return digest
    }

    /// A path as recorded in keys: relative to the package root when inside it.
    func recordedPath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        if let root = packageRoot?.standardizedFileURL.path, path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
        return path
    }

    /// SHA-256 of a data file, once per run.
    func dataDigest(_ url: URL) throws -> DataFileDigest {
        let path = recordedPath(url)
        if let digest = withLock({ dataDigests[path] }) { return DataFileDigest(path: path, sha256: digest) }
        let digest = try SHA256.hex(ofFile: url)
        withLock { dataDigests[path] = digest }
        return DataFileDigest(path: path, sha256: digest)
    }
}
