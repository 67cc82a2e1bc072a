import Foundation
import Testing
import CNN
import Grader

/// A class of submissions of every kind, graded as one batch: every student gets a row, every
/// bad case a clear message, and nothing stops the batch.
@Suite("Submission corpus", .serialized)
struct CorpusTests {
    let assignment = Bank.cnnArchitectures

    func rightAnswers(_ id: String, _ override: (ExerciseKey, ExerciseKey.PartKey) -> String? = { _, _ in nil }) -> String {
        assignment.exercises.map { $0.key(assignment: assignment.id, student: id) }.map { k in
            "[\(k.exercise)]\n" + k.parts.map { "\($0.part) = \(override(k, $0) ?? $0.value.description)" }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    static let correctRF = """
    func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
        var l = 1, jump = 1, out: [Int] = []
        for (f, s) in zip(kernels, strides) { l += (f - 1) * jump; jump *= s; out.append(l) }
        return out
    }
    """

    /// (student id, files, what the report must show)
    func corpus(root: URL) -> [(String, [String: Data], (StudentReport) -> Bool)] {
        func text(_ s: String) -> Data { Data(s.utf8) }
        let secret = root.appendingPathComponent("results.json").path
        return [
            ("allright", ["answers.toml": text(rightAnswers("allright")), "ReceptiveField.swift": text(Self.correctRF)],
             { r in r.checks.filter { $0.exercise != "code-lrn-forward" && $0.exercise != "code-batchnorm-forward" }.allSatisfy { $0.status == .correct } }),
            ("allwrong", ["answers.toml": text(rightAnswers("allwrong") { _, p in p.value.realsValue != nil ? "[123456789]" : "123456789" })],
             { r in r.checks.filter { $0.exercise.hasPrefix("code-") == false }.allSatisfy { $0.points == 0 } }),
            ("partly", ["answers.toml": text(rightAnswers("partly") { k, _ in k.exercise.hasPrefix("conv") ? "3" : nil })],
             { r in r.total > 0 && r.checks.contains { $0.status == .wrong } }),
            ("flops", ["answers.toml": text(rightAnswers("flops") { k, p in k.exercise == "conv-macs" ? String(2 * p.value.intValue!) : nil })],
             { r in r.checks.contains { $0.mistake == "flops-for-macs" && ($0.message ?? "").contains("FLOPs") } }),
            ("nobias", ["answers.toml": text(rightAnswers("nobias") { k, p in k.exercise == "conv-weights" ? String(p.value.intValue! - k.parameters.int("f")) : nil })],
             { r in r.checks.contains { $0.mistake == "bias-forgotten" } }),
            ("missing", [:], { r in r.warnings.contains { $0.contains("missing") } && r.total == 0 }),
            ("empty", ["answers.toml": Data()], { r in r.warnings.contains { $0.contains("empty") } }),
            ("malformed", ["answers.toml": text("[conv-macs\nmacs = 3\n")], { r in r.warnings.contains { $0.contains("line 1") } }),
            ("wrongtypes", ["answers.toml": text("[conv-macs]\nmacs = \"many\"\n[conv-output-shape]\nshape = 7\n")],
             { r in r.checks.contains { ($0.message ?? "").contains("without quotes") } && r.checks.contains { ($0.message ?? "").contains("list") } }),
            ("nonfinite", ["answers.toml": text("[conv-macs]\nmacs = nan\n[conv-weights]\nweights = inf\n")],
             { r in r.checks.filter { ($0.message ?? "").contains("not a finite number") }.count == 2 }),
            ("huge", ["answers.toml": text("[conv-macs]\nmacs = 1e308\n[conv-weights]\nweights = 9223372036854775807\n")],
             { r in r.checks.first { $0.exercise == "conv-macs" }?.status == .wrong && r.checks.first { $0.exercise == "conv-weights" }?.status == .wrong }),
            ("binary", ["answers.toml": Data([0x5b, 0x61, 0x5d, 0x0a, 0xff, 0xfe, 0xfd, 0x00])], { r in r.warnings.contains { $0.contains("UTF-8") } }),
            ("bigfile", ["answers.toml": Data(repeating: 0x23, count: 50_000_000)], { r in r.warnings.contains { $0.contains("MB") } }),
            ("extrakeys", ["answers.toml": text(rightAnswers("extrakeys") + "\n\n[bonus]\nanswer = 42\n")],
             { r in r.warnings.contains { $0.contains("bonus") } && r.checks.filter { !$0.exercise.hasPrefix("code-") }.allSatisfy { $0.status == .correct } }),
            ("nocompile", ["ReceptiveField.swift": text("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { kernels +++ }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { ($0.message ?? "").hasPrefix("does not compile") } }),
            ("loops", ["ReceptiveField.swift": text("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { while true {} }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { ($0.message ?? "").contains("took longer than") } }),
            ("forkbomb", ["ReceptiveField.swift": text("import Glibc\nfunc receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { while true { _ = fork() } }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { $0.points == 0 && (($0.message ?? "").contains("processes") || ($0.message ?? "").contains("took longer")) } }),
            ("hugealloc", ["ReceptiveField.swift": text("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { let n = 100 << 30; let p = UnsafeMutablePointer<UInt8>.allocate(capacity: n); var i = 0; while i < n { p[i] = 1; i += 4096 }; return [Int(p[0])] }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { $0.points == 0 && ($0.message ?? "").contains("memory") } }),
            ("socket", ["ReceptiveField.swift": text("import Glibc\nfunc receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0); var a = sockaddr_in(); a.sin_family = sa_family_t(AF_INET); a.sin_addr.s_addr = inet_addr(\"127.0.0.1\"); a.sin_port = UInt16(22).bigEndian; let ok = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }; return [ok == 0 ? 777 : -1] }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { !($0.given ?? "").contains("777") } }),
            ("readskey", ["ReceptiveField.swift": text("import Glibc\nfunc receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { let f = fopen(\"\(secret)\", \"r\"); let g = fopen(\"main.swift\", \"r\"); return [f != nil || g != nil ? 777 : -1] }")],
             { r in r.checks.filter { $0.exercise == "code-receptive-field" }.allSatisfy { !($0.given ?? "").contains("777") } }),
            ("writesout", ["ReceptiveField.swift": text("import Glibc\nfunc receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { let f = fopen(\"\(root.path)/escaped\", \"w\"); if f != nil { fputs(\"x\", f); fclose(f) }; return [1] }")],
             { _ in !FileManager.default.fileExists(atPath: root.appendingPathComponent("escaped").path) }),
        ]
    }

    @Test func wholeClassIsGradedAndEveryBadCaseExplained() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("coursekit-corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let subs = root.appendingPathComponent("submissions")
        let cases = corpus(root: root)
        for (id, files, _) in cases {
            let dir = subs.appendingPathComponent(id)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (name, data) in files { try data.write(to: dir.appendingPathComponent(name)) }
        }
        // A folder for nobody on the roster, and a symlink to a file outside the submission.
        try FileManager.default.createDirectory(at: subs.appendingPathComponent("stranger"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: subs.appendingPathComponent("linker"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: subs.appendingPathComponent("linker/answers.toml").path, withDestinationPath: "/etc/passwd")
        // Roster with a duplicate id, an id with "../" and a short row.
        let rosterText = "id,name\n" + cases.map { "\($0.0),Name of \($0.0)" }.joined(separator: "\n")
            + "\nallright,Duplicate\n../etc,Escaper\nlinker,Link\nshortrow\n"
        let roster = try Roster.parse(rosterText)
        #expect(roster.problems.contains { $0.contains("duplicate") })
        #expect(roster.problems.contains { $0.contains("invalid student id '../etc'") })
        #expect(roster.problems.contains { $0.contains("too few columns") })

        var run = GradingRun(assignment: assignment, roster: roster, submissions: subs, output: root.appendingPathComponent("out"))
        run.codeGrader.runLimits.cpuSeconds = 2
        run.codeGrader.runLimits.wallSeconds = 6
        run.codeGrader.runLimits.memoryBytes = 256 << 20
        let outcome = try run.run()
        #expect(outcome.reports.count == cases.count + 1)
        #expect(outcome.warnings.contains { $0.contains("'stranger'") })
        for (id, _, check) in cases {
            let report = try #require(outcome.reports.first { $0.student.id == id }, "\(id) has no report")
            #expect(check(report), "\(id): \(report.warnings) \(report.checks.filter { $0.status != .correct }.prefix(4))")
        }
        let linker = try #require(outcome.reports.first { $0.student.id == "linker" })
        #expect(linker.warnings.contains { $0.contains("not a regular file") })

        // Gradebook: a header and one row per student; results.json holds every check.
        let csv = try String(contentsOf: root.appendingPathComponent("out/gradebook.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == cases.count + 2)
        #expect(csv.hasPrefix("id,name,conv-output-shape,"))
        let results = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("out/results.json"))) as? [String: Any]
        #expect((results?["students"] as? [Any])?.count == cases.count + 1)

        // A second run resumes: nothing is graded again.
        let again = try run.run()
        #expect(again.graded == 0 && again.resumed == cases.count + 1)
    }
}
