import Foundation
import Notebook
import Testing

@Suite("Lesson cache state")
struct LessonStateTests {
    func state(_ pkg: TempPackage) throws -> LessonCacheState {
        try LessonCacheState.compute(lesson: TempPackage.lessonName, mode: .full, lessonDirectory: pkg.lessonDirectory,
                                     packageRoot: pkg.root, outputRoot: pkg.outputRoot)
    }

    @Test func neverRunFreshStale() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        #expect(try state(pkg).status == .neverRun)
        let first = try runTrain(pkg, try pkg.notebook())
        let fresh = try state(pkg)
        #expect(fresh.status == .fresh && fresh.steps.map(\.key) == [first.use.key])

        // Prose edit: still fresh, nothing would rerun.
        try pkg.writeLesson("//: 新的开头\n" + TempPackage.lesson + "\n//:en The end.")
        #expect(try state(pkg).status == .fresh)

        // Code edit outside the step: the step and the lesson are stale.
        try pkg.writeLesson(TempPackage.lesson.replacingOccurrences(of: "let scale = 2", with: "let scale = 5"))
        let stale = try state(pkg)
        #expect(stale.status == .stale && stale.steps[0].reasons == ["lesson code changed"])
        #expect(stale.reasons == ["lesson code changed since the last run"])
        try pkg.writeLesson(TempPackage.lesson)

        // Engine edit.
        try "public func conv() -> Int { 3 }\n".write(to: pkg.engineFile, atomically: true, encoding: .utf8)
        #expect(try state(pkg).steps[0].reasons == ["engine sources changed"])
        try "public func conv() -> Int { 1 }\n".write(to: pkg.engineFile, atomically: true, encoding: .utf8)
        #expect(try state(pkg).status == .fresh)

        // A missing entry.
        try FileManager.default.removeItem(at: pkg.outputRoot.appendingPathComponent("cache/\(first.use.key).json"))
        #expect(try state(pkg).steps[0].reasons == ["cache entry missing or unreadable"])
    }

    @Test func changedStepMakesOnlyItselfStale() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let nb = try pkg.notebook()
        let trainLine = try pkg.line(of: "nb.cached(\"train\""), evalLine = try pkg.line(of: "nb.cached(\"eval\"")
        _ = try nb.cached("train", 0.1, 3, fileID: "l99_test/main.swift", line: trainLine) { [1.0] }
        _ = try nb.cached("eval", after: [], fileID: "l99_test/main.swift", line: evalLine) { 1 }
        nb.finish()
        try pkg.writeLesson(TempPackage.lesson.replacingOccurrences(of: "a.count", with: "a.count * 2"))
        let s = try state(pkg)
        #expect(s.steps.map(\.isFresh) == [true, false])
        #expect(s.steps[1].reasons == ["the step's code changed"])
    }
}
