import Foundation
import Testing
import Grader

/// Answer files of every kind a class produces, each graded against the engine's keys.
@Suite("Answer-file grading")
struct AnswerGradingTests {
    let assignment = Bank.cnnArchitectures
    let student = Student(id: "s001", name: "Test Student")

    func keys() -> [ExerciseKey] { assignment.exercises.map { $0.key(assignment: assignment.id, student: student.id) } }

    /// A TOML answer file built from the keys, with per-part overrides.
    func answers(_ override: (ExerciseKey, ExerciseKey.PartKey) -> String? = { _, _ in nil }) -> String {
        keys().map { k in
            "[\(k.exercise)]\n" + k.parts.map { "\($0.part) = \(override(k, $0) ?? $0.value.description)" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    func grade(_ text: String) -> [CheckResult] {
        guard case .answers(let a, _) = AnswerFile.parse(text, assignment: assignment) else { return [] }
        return zip(assignment.exercises, keys()).flatMap { $0.grade(a[$0.id], key: $1) }
    }

    @Test func allRightScoresFull() {
        let r = grade(answers())
        #expect(!r.isEmpty && r.allSatisfy { $0.status == .correct }, "\(r.filter { $0.status != .correct })")
        #expect(r.reduce(0) { $0 + $1.points } == assignment.exercises.reduce(0) { $0 + $1.points })
    }

    @Test func allWrongScoresZero() {
        let r = grade(answers { _, p in p.value.realsValue != nil ? "[123456789]" : "123456789" })
        #expect(r.allSatisfy { $0.status == .wrong && $0.points == 0 })
    }

    @Test func partlyRightGetsPartialCredit() {
        let r = grade(answers { k, _ in k.exercise == "conv-macs" ? "7" : nil })
        let macs = r.filter { $0.exercise == "conv-macs" }
        #expect(macs.allSatisfy { $0.points == 0 })
        #expect(r.filter { $0.exercise != "conv-macs" }.allSatisfy { $0.status == .correct })
    }

    @Test func flopsForMACsGetsItsFeedback() {
        let r = grade(answers { k, p in k.exercise == "conv-macs" ? String(2 * p.value.intValue!) : nil })
        let c = r.first { $0.exercise == "conv-macs" }!
        #expect(c.status == .wrong && c.mistake == "flops-for-macs")
        #expect(c.message?.contains("FLOPs") == true)
    }

    @Test func forgottenBiasGetsItsFeedback() {
        let k = keys().first { $0.exercise == "conv-weights" }!
        let f = k.parameters.int("f")
        let r = grade(answers { k, p in k.exercise == "conv-weights" ? String(p.value.intValue! - f) : nil })
        #expect(r.first { $0.exercise == "conv-weights" }?.mistake == "bias-forgotten")
    }

    @Test func slideTypoIsRecognised() {
        let r = grade(answers { k, p in k.exercise == "inception-bottleneck" && p.part == "naive_macs" ? String(p.value.intValue! / 10) : nil })
        #expect(r.first { $0.part == "naive_macs" }?.mistake == "slide-typo")
    }

    @Test func wrongTypesAreExplained() {
        let r = grade(answers { k, p in k.exercise == "conv-weights" ? "\"\(p.value)\"" : k.exercise == "conv-output-shape" ? "42" : nil })
        #expect(r.first { $0.exercise == "conv-weights" }?.status == .invalid)
        #expect(r.first { $0.exercise == "conv-weights" }?.message?.contains("without quotes") == true)
        #expect(r.first { $0.exercise == "conv-output-shape" }?.message?.contains("list") == true)
    }

    @Test func nanAndInfinityAreNotNumbers() {
        let r = grade(answers { k, _ in k.exercise == "conv-macs" ? "nan" : k.exercise == "conv-weights" ? "inf" : nil })
        #expect(r.first { $0.exercise == "conv-macs" }?.message?.contains("not a finite number") == true)
        #expect(r.first { $0.exercise == "conv-weights" }?.status == .invalid)
    }

    @Test func hugeNumbersAreHandled() {
        guard case .unreadable(let why) = AnswerFile.parse("[conv-macs]\nmacs = 99999999999999999999999\n", assignment: assignment) else {
            // toml++ may accept it as a float; then it must simply be wrong
            let r = grade("[conv-macs]\nmacs = 1e300\n")
            #expect(r.first { $0.exercise == "conv-macs" }?.status == .wrong)
            return
        }
        #expect(why.contains("line 2"))
    }

    @Test func malformedTOMLNamesTheLine() {
        guard case .unreadable(let why) = AnswerFile.parse("[conv-macs]\nmacs = = 3\n", assignment: assignment) else {
            Issue.record("malformed TOML was accepted"); return
        }
        #expect(why.contains("line 2"))
    }

    @Test func unknownKeysAreWarnedAndIgnored() {
        guard case .answers(_, let warnings) = AnswerFile.parse(answers() + "\n[bonus]\nx = 1\n", assignment: assignment) else {
            Issue.record("file rejected"); return
        }
        #expect(warnings.contains { $0.contains("bonus") })
    }

    @Test func integralRealIsAcceptedForAnInteger() {
        let r = grade(answers { k, p in k.exercise == "conv-weights" ? "\(p.value.intValue!).0" : nil })
        #expect(r.first { $0.exercise == "conv-weights" }?.status == .correct)
    }

    @Test func templateListsEveryPartAndParsesBack() {
        let t = AnswerFile.template(assignment: assignment, student: student)
        guard case .answers(let a, let w) = AnswerFile.parse(t, assignment: assignment) else { Issue.record("template does not parse"); return }
        #expect(w.isEmpty)
        for ex in assignment.exercises { #expect(Set(a[ex.id]?.keys.map { $0 } ?? []) == Set(ex.parts.map(\.id))) }
    }
}
