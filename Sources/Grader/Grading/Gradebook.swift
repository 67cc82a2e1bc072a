import Foundation

/// Everything graded for one student: stored per student so an interrupted run resumes.
public struct StudentReport: Codable, Sendable {
    public let student: Student
    public let checks: [CheckResult]
    /// Problems with the submission that cost no points (unknown keys) or explain a zero.
    public let warnings: [String]
    public let inputHash: String
    public let keyHash: String

    public var total: Double { checks.reduce(0) { $0 + $1.points } }
    public var maximum: Double { checks.reduce(0) { $0 + $1.maxPoints } }
    public func score(of exercise: String) -> Double { checks.filter { $0.exercise == exercise }.reduce(0) { $0 + $1.points } }
}

/// A whole grading run: roster × submissions → gradebook.csv, results.json, per-student
/// reports; resumable, parallel over the cores, and never stopped by one bad submission.
public struct GradingRun: Sendable {
    public let assignment: Assignment
    public let roster: Roster
    public let submissions: URL
    public let output: URL
    public var codeGrader = CodeGrader()
    public var gradeCode = true

    public init(assignment: Assignment, roster: Roster, submissions: URL, output: URL) {
        self.assignment = assignment; self.roster = roster; self.submissions = submissions; self.output = output
    }

    public struct Outcome: Sendable {
        public let reports: [StudentReport]
        public let graded: Int
        public let resumed: Int
        /// Submission folders that match no roster id, roster problems.
        public let warnings: [String]
        /// With regrade: whose score changed, and why.
        public let changes: [String]
    }

    /// Grades every student on the roster. `regrade` recomputes every key with the current
    /// engine and regrades everyone, reporting whose score changes.
    public func run(regrade: Bool = false, log: @Sendable (String) -> Void = { _ in }) throws -> Outcome {
        let fm = FileManager.default
        let studentsDir = output.appendingPathComponent("students")
        try fm.createDirectory(at: studentsDir, withIntermediateDirectories: true)
        var warnings = roster.problems
        let known = Set(roster.students.map(\.id))
        if let entries = try? fm.contentsOfDirectory(atPath: submissions.path) {
            for e in entries.sorted() where !known.contains(e) && !e.hasPrefix(".") {
                warnings.append("submission folder '\(e)' matches no student on the roster; ignored")
            }
        }

        let students = roster.students
        let results = LockedArray<StudentReport?>(count: students.count)
        let counts = LockedArray<Int>(count: 2)   // graded, resumed
        let changes = LockedArray<String?>(count: students.count)
        DispatchQueue.concurrentPerform(iterations: students.count) { i in
            let s = students[i]
            let stored = studentsDir.appendingPathComponent("\(s.id).json")
            let previous = (try? Data(contentsOf: stored)).flatMap { try? JSONDecoder().decode(StudentReport.self, from: $0) }
            let inputHash = self.inputHash(s)
            if !regrade, let previous, previous.inputHash == inputHash {
                results[i] = previous
                counts.update(1) { $0 + 1 }
                return
            }
            let report = grade(s, inputHash: inputHash)
            if let previous, regrade, previous.total != report.total {
                let changed = zip(previous.checks, report.checks).filter { $0.points != $1.points || $0.expected != $1.expected }
                    .map { "\($1.exercise).\($1.part): expected \($0.expected) → \($1.expected), \(Value.format($0.points)) → \(Value.format($1.points)) points" }
                changes[i] = "\(s.id): \(Value.format(previous.total)) → \(Value.format(report.total)) (\(changed.joined(separator: "; ")))"
            }
            do { try atomicWrite(JSONEncoder.pretty.encode(report), to: stored) }
            catch { log("could not store the report of \(s.id): \(error)") }
            results[i] = report
            counts.update(0) { $0 + 1 }
            log("graded \(s.id): \(Value.format(report.total)) / \(Value.format(report.maximum))")
        }
        let reports = results.values.compactMap { $0 }
        try writeGradebook(reports)
        try atomicWrite(JSONEncoder.pretty.encode(ResultsFile(assignment: assignment.id, students: reports, warnings: warnings)),
                        to: output.appendingPathComponent("results.json"))
        return Outcome(reports: reports, graded: counts[0], resumed: counts[1], warnings: warnings, changes: changes.values.compactMap { $0 })
    }

    struct ResultsFile: Codable { let assignment: String; let students: [StudentReport]; let warnings: [String] }

    /// Grades one student from scratch.
    public func grade(_ s: Student, inputHash: String? = nil) -> StudentReport {
        let folder = submissions.appendingPathComponent(s.id, isDirectory: true)
        var checks: [CheckResult] = [], warnings: [String] = []
        var keyText = ""
        let contents = AnswerFile.read(folder.appendingPathComponent("answers.toml"), assignment: assignment)
        var answers: [String: [String: AnswerFile.Given]] = [:]
        switch contents {
        case .answers(let a, let w): answers = a; warnings += w
        case .unreadable(let why): warnings.append(why)
        }
        for ex in assignment.exercises {
            let key = ex.key(assignment: assignment.id, student: s.id)
            keyText += key.parts.map { "\(ex.id).\($0.part)=\($0.value)" }.joined(separator: ";")
            var results = ex.grade(answers[ex.id], key: key)
            if case .unreadable(let why) = contents {
                results = results.map { CheckResult(exercise: $0.exercise, part: $0.part, status: .invalid, points: 0, maxPoints: $0.maxPoints,
                                                    expected: $0.expected, given: nil, message: why, mistake: nil) }
            }
            checks += results
        }
        for code in assignment.codeExercises {
            if gradeCode {
                checks += codeGrader.grade(code, source: Self.readSubmittedFile(folder.appendingPathComponent(code.fileName)))
            }
        }
        return StudentReport(student: s, checks: checks, warnings: warnings,
                             inputHash: inputHash ?? self.inputHash(s), keyHash: stableHash(keyText))
    }

    /// A submitted file's bytes: regular files only (a symlink to the answer key is refused).
    static func readSubmittedFile(_ url: URL) -> Data? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: url.path),
              (a[.type] as? FileAttributeType) == .typeRegular, ((a[.size] as? Int) ?? 0) <= 64 << 20 else { return nil }
        return try? Data(contentsOf: url)
    }

    /// Hash of what the student handed in (answers and code files) and of the grader's version.
    func inputHash(_ s: Student) -> String {
        let folder = submissions.appendingPathComponent(s.id, isDirectory: true)
        var bytes = Data("grader-v1|\(assignment.id)|\(s.id)|".utf8)
        for name in ["answers.toml"] + assignment.codeExercises.map(\.fileName) {
            bytes += Data(name.utf8)
            if let d = Self.readSubmittedFile(folder.appendingPathComponent(name)) { bytes += d } else { bytes += Data("<none>".utf8) }
        }
        return stableHash(bytes)
    }

    func writeGradebook(_ reports: [StudentReport]) throws {
        let columns = assignment.exercises.map(\.id) + assignment.codeExercises.map(\.id)
        var csv = (["id", "name"] + columns + ["total"]).joined(separator: ",") + "\n"
        for r in reports {
            csv += ([Roster.csvField(r.student.id), Roster.csvField(r.student.name)] + columns.map { Value.format(r.score(of: $0)) }
                    + [Value.format(r.total)]).joined(separator: ",") + "\n"
        }
        try atomicWrite(Data(csv.utf8), to: output.appendingPathComponent("gradebook.csv"))
    }
}

/// Writes `data` to a temporary file beside `url`, then renames it into place.
public func atomicWrite(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    try data.write(to: tmp)
    if rename(tmp.path, url.path) != 0 {
        try? FileManager.default.removeItem(at: tmp)
        throw GraderError("could not write \(url.path): \(String(cString: strerror(errno)))")
    }
}

/// FNV-1a 64 as 16 hex digits: a stable content hash for change detection.
func stableHash(_ data: Data) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in data { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return String(format: "%016llx", h)
}
func stableHash(_ s: String) -> String { stableHash(Data(s.utf8)) }

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }
}

/// A fixed-size array shared by parallel workers (each writes its own slot).
final class LockedArray<T>: @unchecked Sendable {
    private var storage: [T]
    private let lock = NSLock()
    init(count: Int) where T: ExpressibleByNilLiteral { storage = Array(repeating: nil, count: count) }
    init(count: Int) where T == Int { storage = Array(repeating: 0, count: count) }
    subscript(i: Int) -> T {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }
    func update(_ i: Int, _ f: (T) -> T) { lock.lock(); storage[i] = f(storage[i]); lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return storage }
}
