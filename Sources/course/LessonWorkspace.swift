// Where lessons, their binaries and their outputs live, and the operations the lesson commands
// share: find a lesson, run its executable, weave its handouts, publish its figures, write the book.
import Foundation
import Notebook
import Render
import Weave

/// A lesson folder and its executable target.
struct LessonEntry: Sendable {
    /// Folder name under Lessons/ (`L01-LRN`).
    var folder: String
    /// Executable target, the folder name lowercased (`l01-lrn`); also the notebook's name.
    var target: String
    var directory: URL
    var mainFile: URL { directory.appendingPathComponent("main.swift") }
}

/// A command-line failure with a hint line.
struct CourseFailure: Error, CustomStringConvertible {
    var message: String
    var hint: String?
    var description: String { message + (hint.map { "\nhint: \($0)" } ?? "") }
}

/// The package being worked on: its root, lessons, binaries and Output/.
struct LessonWorkspace {
    var root: URL
    var buildDirectory: URL
    var outputRoot: URL
    var lessons: [LessonEntry]

    /// Finds the package root from the current directory and the lesson binaries next to `course`.
    init(buildDirectory: String? = nil, output: String? = nil) throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        guard let root = SourceTree.packageRoot(startingAt: cwd) else {
            throw CourseFailure(message: "no Package.swift in \(cwd.path) or above", hint: "run course inside the course kit's folder")
        }
        self.root = root
        if let buildDirectory {
            self.buildDirectory = URL(fileURLWithPath: buildDirectory, isDirectory: true)
        } else {
            let me = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
            self.buildDirectory = me.resolvingSymlinksInPath().deletingLastPathComponent()
        }
        outputRoot = output.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? root.appendingPathComponent("Output", isDirectory: true)
        let folder = root.appendingPathComponent("Lessons", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        lessons = names.sorted().compactMap { name in
            let dir = folder.appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("main.swift").path) else { return nil }
            return LessonEntry(folder: name, target: name.lowercased(), directory: dir)
        }
    }

    /// The lesson named by `query`: folder or target name (any case), or a unique prefix (`L01`, `l01`).
    func lesson(_ query: String) throws -> LessonEntry {
        let q = query.lowercased()
        if let exact = lessons.first(where: { $0.target == q }) { return exact }
        let matches = lessons.filter { $0.target.hasPrefix(q) || $0.target.hasPrefix("l" + q) }
        if matches.count == 1 { return matches[0] }
        let known = lessons.map(\.folder).joined(separator: ", ")
        throw CourseFailure(message: matches.isEmpty ? "no lesson '\(query)' (lessons: \(known.isEmpty ? "none" : known))"
                                                     : "'\(query)' matches several lessons: \(matches.map(\.folder).joined(separator: ", "))",
                            hint: "`course lessons` lists them")
    }

    /// The lesson's executable, built first (`swift build --product <target>`, in this kit's build
    /// configuration) when it is missing or older than its main.swift, so that editing a lesson
    /// and then running or weaving it just works.
    func binary(_ lesson: LessonEntry) throws -> URL {
        let url = buildDirectory.appendingPathComponent(lesson.target)
        if isStale(lesson, binary: url) { try build(lesson) }
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CourseFailure(message: "lesson executable \(relative(url)) not found", hint: "build it with `swift build -c release` (or `make`)")
        }
        return url
    }

    private func isStale(_ lesson: LessonEntry, binary url: URL) -> Bool {
        let attributes = FileManager.default
        guard attributes.isExecutableFile(atPath: url.path),
              let built = (try? attributes.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date else { return true }
        let edited = (try? attributes.attributesOfItem(atPath: lesson.mainFile.path))?[.modificationDate] as? Date ?? .distantPast
        return edited > built
    }

    /// Runs `swift build -c <configuration> --product <target>` for the build directory this
    /// `course` runs from (`<scratch>/<triple>/<configuration>`). Throws a failure that says what to
    /// do when the directory is not such a build directory or the build fails.
    private func build(_ lesson: LessonEntry) throws {
        let configuration = buildDirectory.lastPathComponent
        guard configuration == "release" || configuration == "debug" else { return }
        let scratch = buildDirectory.deletingLastPathComponent().deletingLastPathComponent()
        print("  \(lesson.target): building (its source is newer than its executable)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "build", "-c", configuration, "--product", lesson.target, "--scratch-path", scratch.path,
                             "--package-path", root.path]
        let log = Pipe()
        process.standardOutput = log
        process.standardError = log
        do { try process.run() } catch {
            throw CourseFailure(message: "could not start `swift build` to rebuild \(lesson.target): \(error.localizedDescription)",
                                hint: "build it with `swift build -c release` (or `make`)")
        }
        let output = log.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: output, as: UTF8.self)
            let errors = text.split(separator: "\n").filter { $0.contains("error:") && !$0.contains("`- error:") }.prefix(10).joined(separator: "\n")
            throw CourseFailure(message: "\(lesson.folder)/main.swift does not build:\n\(errors.isEmpty ? text : errors)",
                                hint: "fix the errors above, then run the command again")
        }
    }

    func transcriptURL(_ lesson: LessonEntry) -> URL {
        outputRoot.appendingPathComponent("\(lesson.target)/transcript.json")
    }

    func handoutURL(_ lesson: LessonEntry, _ language: Language) -> URL {
        outputRoot.appendingPathComponent("handouts/\(lesson.target).\(language.rawValue).pdf")
    }

    /// Runs a lesson executable with `arguments`; stdout and stderr pass through.
    /// - Returns: the exit status.
    func run(_ lesson: LessonEntry, arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = try binary(lesson)
        process.arguments = arguments + ["--root", root.path, "--output", outputRoot.path]
        process.currentDirectoryURL = root
        try process.run()
        // Foundation starts the child in its own process group, so neither Ctrl-C nor `kill <course>`
        // would reach it: pass SIGINT/SIGTERM/SIGHUP on rather than leave the lesson running as an
        // orphan. Its writes are atomic, so stopping it anywhere leaves whole entries and files only.
        // The dispositions are put back when the lesson ends: a child inherits ignored signals, so
        // leaving them ignored would make the next lesson deaf to the forwarded signal.
        let signals = [SIGINT, SIGTERM, SIGHUP]
        let previous = signals.map { signal($0, SIG_IGN) }
        let forwarders = signals.map { sig -> DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                kill(process.processIdentifier, sig)
                process.waitUntilExit()
                exit(128 + sig)
            }
            source.resume()
            return source
        }
        process.waitUntilExit()
        forwarders.forEach { $0.cancel() }
        for (sig, handler) in zip(signals, previous) { signal(sig, handler) }
        if process.terminationReason == .uncaughtSignal {
            throw CourseFailure(message: "\(lesson.target) was stopped by signal \(process.terminationStatus)",
                                hint: "rerun it: finished cache entries are kept, nothing half-written was published")
        }
        return process.terminationStatus
    }

    /// The last run's transcript, checked against the current main.swift: outputs are placed by
    /// line number, so a transcript made from another version of the file would put them in the
    /// wrong places.
    func currentTranscript(_ lesson: LessonEntry) throws -> (Transcript, LessonSource)? {
        let url = transcriptURL(lesson)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let transcript = try Transcript.read(from: url)
        let text = try String(contentsOf: lesson.mainFile, encoding: .utf8)
        let recorded = transcript.sources.first { $0.path.hasSuffix("/main.swift") || $0.path == "main.swift" }
        guard recorded?.textSHA256 == SHA256.hex(of: text) else { return nil }
        return (transcript, try LessonSource(text: text, fileName: "main.swift"))
    }

    /// The transcript for weaving: the last run's if it matches main.swift, else the lesson is
    /// rebuilt if needed and run again (quietly, through the cache: prose edits rerun no experiment).
    func transcriptForWeaving(_ lesson: LessonEntry, mode: RunMode?) throws -> (Transcript, LessonSource) {
        if let current = try currentTranscript(lesson), mode == nil || current.0.mode == mode { return current }
        print("  \(lesson.target): no transcript for the current source; running it through the cache")
        let status = try run(lesson, arguments: ["--quiet"] + (mode.map { $0 == .full ? [] : ["--\($0.rawValue)"] } ?? []))
        guard status == 0 else { throw CourseFailure(message: "\(lesson.target) exited with status \(status)", hint: nil) }
        guard let fresh = try currentTranscript(lesson) else {
            throw CourseFailure(message: "\(lesson.target) ran but its transcript does not match main.swift", hint: "rebuild with `swift build -c release`")
        }
        return fresh
    }

    /// `git rev-parse --short HEAD` in the package root, nil if git or the repository is missing.
    func gitCommit() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path, "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return commit.isEmpty ? nil : commit
    }

    /// Weaves and writes one lesson's handouts in `languages`; returns the files written.
    func writeHandouts(_ lesson: LessonEntry, languages: [Language], mode: RunMode?, commit: String?) throws -> [URL] {
        let (transcript, source) = try transcriptForWeaving(lesson, mode: mode)
        return try languages.map { language in
            let handout = Weaver.weave(source: source, transcript: transcript, language: language, gitCommit: commit)
            let url = handoutURL(lesson, language)
            try HandoutDocument.write(handout, to: url, outputRoot: outputRoot)
            return url
        }
    }

    /// Writes Output/handouts/course.<lang>.pdf for every lesson that has a transcript.
    func writeBook(languages: [Language], mode: RunMode?, commit: String?) throws -> [URL] {
        let woven = try lessons.map { try transcriptForWeaving($0, mode: mode) }
        return try languages.map { language in
            let handouts = woven.map { Weaver.weave(source: $0.1, transcript: $0.0, language: language, gitCommit: commit) }
            let url = outputRoot.appendingPathComponent("handouts/course.\(language.rawValue).pdf")
            try HandoutDocument.writeBook(handouts, to: url, outputRoot: outputRoot)
            return url
        }
    }

    /// Publishes every lesson's figures to Output/figures/<lesson>/.
    func publishFigures() throws -> [FigurePublisher.Published] {
        try lessons.flatMap { lesson -> [FigurePublisher.Published] in
            let url = transcriptURL(lesson)
            guard FileManager.default.fileExists(atPath: url.path) else { return [] }
            return try FigurePublisher.publish(try Transcript.read(from: url), outputRoot: outputRoot)
        }
    }

    /// A path relative to the package root, for printing.
    func relative(_ url: URL) -> String {
        let r = root.standardizedFileURL.path + "/", p = url.standardizedFileURL.path
        return p.hasPrefix(r) ? String(p.dropFirst(r.count)) : p
    }
}
