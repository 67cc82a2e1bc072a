import Foundation
import Notebook
import Testing

@Suite("Cache keys and invalidation")
struct CacheKeyTests {
    @Test func sameInputsHitAndParameterChangeMisses() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        #expect(first.computed && first.use.outcome == .computed)
        let again = try runTrain(pkg, try pkg.notebook())
        #expect(!again.computed && again.use.outcome == .hit && again.use.key == first.use.key)
        let changed = try runTrain(pkg, try pkg.notebook(), learningRate: 0.01)
        #expect(changed.computed && changed.use.key != first.use.key)
        #expect(changed.use.inputs.differences(from: first.use.inputs) == ["parameters changed"])
    }

    @Test func proseCommentAndOutputEditsKeepTheKey() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        var text = try pkg.lessonText()
        text = text.replacingOccurrences(of: "//:en # Test lesson", with: "//:en # Test lesson, reworded\n//: 新的一段。\n//:en A new paragraph.")
        text = text.replacingOccurrences(of: "let scale = 2", with: "let scale   =  2   // the factor\n//> recorded: 1")
        try pkg.writeLesson(text)
        let after = try runTrain(pkg, try pkg.notebook())
        #expect(after.use.key == first.use.key)
        #expect(!after.computed && after.use.outcome == .hit)
    }

    @Test func codeEditsChangeTheKey() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        // Code outside every cached call: every step depends on it.
        try pkg.writeLesson(TempPackage.lesson.replacingOccurrences(of: "let scale = 2", with: "let scale = 3"))
        let shared = try runTrain(pkg, try pkg.notebook())
        #expect(shared.computed && shared.use.outcome == .stale)
        #expect(shared.use.inputs.differences(from: first.use.inputs) == ["lesson code changed"])
        // The step's own closure body.
        try pkg.writeLesson(TempPackage.lesson.replacingOccurrences(of: "[1.0, 2.0]", with: "[1.0, 2.5]"))
        let own = try runTrain(pkg, try pkg.notebook())
        #expect(own.computed && own.use.inputs.differences(from: first.use.inputs) == ["the step's code changed"])
    }

    @Test func anotherStepsCodeDoesNotChangeTheKey() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        try pkg.writeLesson(TempPackage.lesson.replacingOccurrences(of: "a.count", with: "a.count + 1"))
        let after = try runTrain(pkg, try pkg.notebook())
        #expect(after.use.key == first.use.key && !after.computed)
    }

    @Test func engineSourceEditsChangeTheKeyButEngineCommentsDoNot() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        try "/// Documented now.\npublic func conv() -> Int { 1 }  // why\n".write(to: pkg.engineFile, atomically: true, encoding: .utf8)
        #expect(try runTrain(pkg, try pkg.notebook()).use.key == first.use.key)
        try "public func conv() -> Int { 2 }\n".write(to: pkg.engineFile, atomically: true, encoding: .utf8)
        let edited = try runTrain(pkg, try pkg.notebook())
        #expect(edited.computed && edited.use.inputs.differences(from: first.use.inputs) == ["engine sources changed"])
        // A new file in an engine module counts too.
        try "let x = 1\n".write(to: pkg.root.appendingPathComponent("Sources/CNN/New.swift"), atomically: true, encoding: .utf8)
        #expect(try runTrain(pkg, try pkg.notebook()).use.key != edited.use.key)
    }

    @Test func dataSeedAndModeChangeTheKey() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook(), reads: [pkg.dataFile])
        #expect(first.use.inputs.dataFiles == [DataFileDigest(path: "data.bin", sha256: SHA256.hex(of: Data([1, 2, 3])))])
        try Data([1, 2, 4]).write(to: pkg.dataFile)
        let data = try runTrain(pkg, try pkg.notebook(), reads: [pkg.dataFile])
        #expect(data.computed && data.use.inputs.differences(from: first.use.inputs) == ["data file data.bin changed"])
        let seeded = try runTrain(pkg, try pkg.notebook(RunOptions(seed: 7)), reads: [pkg.dataFile])
        #expect(seeded.computed && seeded.use.key != data.use.key)
        let quick = try runTrain(pkg, try pkg.notebook(RunOptions(mode: .quick)), reads: [pkg.dataFile])
        #expect(quick.computed && quick.use.key != data.use.key)
        #expect(throws: NotebookError.self) { try runTrain(pkg, try pkg.notebook(), reads: [pkg.root.appendingPathComponent("nope.bin")]) }
    }

    @Test func forceRecomputesAndVersionBumpInvalidates() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let first = try runTrain(pkg, try pkg.notebook())
        let forced = try runTrain(pkg, try pkg.notebook(RunOptions(force: true)))
        #expect(forced.computed && forced.use.outcome == .forced && forced.use.key == first.use.key)
        let nb = try pkg.notebook()
        let line = try pkg.line(of: "nb.cached(\"train\"")
        var computed = false
        _ = try nb.cached("train", 0.1, 3, version: 2, fileID: "l99_test/main.swift", line: line) { () -> [Double] in computed = true; return [] }
        #expect(computed && nb.transcript.cache[0].key != first.use.key)
    }

    @Test func upstreamResultsChainByDefault() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let evalLine = try pkg.line(of: "nb.cached(\"eval\"")
        func run(_ trainValue: Double) throws -> (dependent: CacheUse, independent: CacheUse) {
            let nb = try pkg.notebook()
            let line = try pkg.line(of: "nb.cached(\"train\"")
            _ = try nb.cached("train", fileID: "l99_test/main.swift", line: line) { [trainValue] }
            _ = try nb.cached("eval", fileID: "l99_test/main.swift", line: evalLine) { 1 }
            _ = try nb.cached("eval-independent", after: [], fileID: "l99_test/main.swift", line: evalLine) { 1 }
            let uses = nb.transcript.cache
            return (uses[1], uses[2])
        }
        let first = try run(1)
        #expect(first.dependent.inputs.upstream.map(\.step) == ["train"])
        // Same code and parameters, a different train result (as if the engine were nondeterministic).
        try FileManager.default.removeItem(at: pkg.outputRoot.appendingPathComponent("cache"))
        let second = try run(2)
        #expect(second.dependent.key != first.dependent.key)
        #expect(second.independent.key == first.independent.key)
        #expect(throws: NotebookError.self) {
            let nb = try pkg.notebook()
            _ = try nb.cached("x", after: ["never-ran"], fileID: "l99_test/main.swift", line: evalLine) { 1 }
        }
    }
}
