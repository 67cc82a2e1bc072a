import Foundation
import Notebook
import Testing
import Weave

/// The package root (this file is Tests/LessonTests/LessonRunTests.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The recorded output lines (`//> …`, marker removed) of a lesson's main.swift: the key-number
/// suites pin these against the papers, and `LessonRunTests` checks that a quick run prints them.
func recorded(_ folder: String) throws -> [String] {
    let url = packageRoot.appendingPathComponent("Lessons/\(folder)/main.swift")
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        .map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0.hasPrefix("//>") }
        .map { String($0.dropFirst(3)).trimmingCharacters(in: .whitespaces) }
}

/// Lesson folders under Lessons/ (each an executable target named by the lowercased folder name).
let lessonFolders: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("Lessons").path)) ?? [])
    .filter { FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent("Lessons/\($0)/main.swift").path) }
    .sorted()

/// The lesson executable built by `swift build -c release` (the Makefile builds before testing).
func lessonBinary(_ target: String) -> URL? {
    for config in ["release", "debug"] {
        let url = packageRoot.appendingPathComponent(".build/\(config)/\(target)")
        if FileManager.default.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
}

/// Runs a process and returns its exit status and combined output.
func execute(_ url: URL, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Headings written in the source: `//: ## …` (Chinese) and `//:en ## …` (English), read with a
/// plain prefix match, independent of the splitter and the weaver.
func sourceHeadings(_ text: String) -> (zh: [String], en: [String]) {
    var zh: [String] = [], en: [String] = []
    for raw in text.split(separator: "\n") {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("//:en #") { en.append(line.dropFirst(5).drop { $0 == " " || $0 == "#" }.trimmingCharacters(in: .whitespaces)) }
        else if line.hasPrefix("//: #") { zh.append(line.dropFirst(3).drop { $0 == " " || $0 == "#" }.trimmingCharacters(in: .whitespaces)) }
    }
    return (zh, en)
}

@Suite("Lessons run in quick mode, match their //> snapshots, and weave into handouts", .serialized)
struct LessonRunTests {
    @Test("the package declares at least one lesson") func lessonsExist() {
        #expect(!lessonFolders.isEmpty)
    }

    @Test("quick run matches the recorded //> outputs; its handouts render with the source's headings", arguments: lessonFolders)
    func lesson(_ folder: String) throws {
        let target = folder.lowercased()
        guard let binary = lessonBinary(target) else {
            Issue.record("lesson executable .build/release/\(target) is missing: run `swift build -c release` first (`make test` does)")
            return
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-\(target)-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let (status, log) = try execute(binary, ["--quick", "--quiet", "--output", out.path, "--root", packageRoot.path])
        #expect(status == 0, "\(target) exited with \(status):\n\(log)")
        guard status == 0 else { return }
        let transcript = try Transcript.read(from: out.appendingPathComponent("\(target)/transcript.json"))
        #expect(transcript.mode == .quick)
        #expect(transcript.problems.isEmpty, "\(transcript.problems)")

        let mainURL = packageRoot.appendingPathComponent("Lessons/\(folder)/main.swift")
        let text = try String(contentsOf: mainURL, encoding: .utf8)
        let source = try LessonSource(text: text)
        let mismatches = Snapshot.check(source, against: transcript)
        if ProcessInfo.processInfo.environment["RECORD"] == "1" {
            let recorded = try Snapshot.record(text, transcript: transcript)
            if recorded != text {
                try Data(recorded.utf8).write(to: mainURL, options: .atomic)
                Issue.record("re-recorded the //> outputs of Lessons/\(folder)/main.swift; review the diff and run the tests again")
            }
        } else {
            #expect(mismatches.isEmpty, "\(folder): \(mismatches.map(\.description).joined(separator: "\n"))\nhint: run `make record` to accept the new outputs")
        }

        // Every figure was written in all three formats.
        for case let .figure(f) in transcript.outputs.map(\.content) {
            let stem = (f.path as NSString).deletingPathExtension
            for ext in ["pdf", "png", "svg"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(stem).\(ext)").path), "\(stem).\(ext)")
            }
        }

        // Both handouts render, and their text holds the headings written in the source.
        let headings = sourceHeadings(text)
        #expect(!headings.zh.isEmpty && !headings.en.isEmpty)
        for (language, expected) in [(Language.zh, headings.zh), (.en, headings.en)] {
            let pdf = out.appendingPathComponent("handouts/\(target).\(language.rawValue).pdf")
            let handout = Weaver.weave(source: source, transcript: transcript, language: language, gitCommit: nil)
            let pages = try HandoutDocument.write(handout, to: pdf, outputRoot: out)
            #expect(pages >= 1)
            let (code, pdfText) = try execute(URL(fileURLWithPath: "/usr/bin/pdftotext"), ["-enc", "UTF-8", pdf.path, "-"])
            #expect(code == 0, "pdftotext failed: \(pdfText)")
            func squeeze(_ s: String) -> String { s.filter { !$0.isWhitespace } }
            let flat = squeeze(pdfText)
            for h in expected { #expect(flat.contains(squeeze(h)), "\(language) handout lacks heading '\(h)'") }
            if language == .zh { #expect(!flat.contains(squeeze(headings.en.last ?? "-"))) }
        }
    }
}
