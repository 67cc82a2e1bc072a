import CNN

/// The outcome of one graded part: data, never an error (a failing student is not a failure
/// of the grader).
public struct CheckResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case correct, wrong, missing, invalid, error }
    public let exercise: String
    public let part: String
    public let status: Status
    public let points: Double
    public let maxPoints: Double
    public let expected: String
    public let given: String?
    /// What the student should read: why it is wrong, or the feedback for a known mistake.
    public let message: String?
    /// The id of the recognised mistake, if any (for the class's most common mistakes).
    public let mistake: String?
    /// The recognised mistake's feedback in both languages (the reports pick one).
    public var feedback: Localized? = nil

    /// The note for a report in `language`.
    public func note(_ language: Language) -> String? {
        if let feedback { return feedback.text(language) }
        if language == .zh, message == "incorrect" { return "不正确" }
        if language == .zh, message == "no answer" { return "未作答" }
        return message
    }
}

/// One student's key for one exercise: the variant and the engine's answers.
public struct ExerciseKey: Codable, Sendable {
    public let exercise: String
    public let parameters: Parameters
    public let prompt: Localized
    public let parts: [PartKey]

    public struct PartKey: Codable, Sendable {
        public let part: String
        public let prompt: Localized
        public let value: Value
        public let tolerance: Tolerance
        public let points: Double
    }
}

extension Exercise {
    /// The key of `student`'s variant, computed by the engine (on shape-only parameters, so
    /// no model weights are allocated).
    public func key(assignment: String, student: String) -> ExerciseKey {
        let p = parameters(assignment: assignment, student: student)
        return withMetaParameters {
            ExerciseKey(exercise: id, parameters: p, prompt: prompt(p), parts: parts.map {
                ExerciseKey.PartKey(part: $0.id, prompt: $0.prompt(p), value: $0.answer(p), tolerance: $0.tolerance, points: $0.points)
            })
        }
    }

    /// Grades the given answers of one student against the key.
    public func grade(_ given: [String: AnswerFile.Given]?, key: ExerciseKey, language: Language = .en) -> [CheckResult] {
        zip(parts, key.parts).map { part, k in
            let expected = k.value.description
            guard let g = given?[part.id] else {
                return CheckResult(exercise: id, part: part.id, status: .missing, points: 0, maxPoints: part.points,
                                   expected: expected, given: nil, message: "no answer", mistake: nil)
            }
            switch Exercise.interpret(g, as: part.kind) {
            case .failure(let why):
                return CheckResult(exercise: id, part: part.id, status: .invalid, points: 0, maxPoints: part.points,
                                   expected: expected, given: g.description, message: why.description, mistake: nil)
            case .success(let numbers):
                if Exercise.matches(numbers, k.value, part.tolerance) {
                    return CheckResult(exercise: id, part: part.id, status: .correct, points: part.points, maxPoints: part.points,
                                       expected: expected, given: g.description, message: nil, mistake: nil)
                }
                let mistake = withMetaParameters {
                    part.mistakes.first { Exercise.matches(numbers, $0.answer(key.parameters), part.tolerance) }
                }
                let message = mistake?.feedback.text(language) ?? Exercise.difference(numbers, k.value)
                return CheckResult(exercise: id, part: part.id, status: .wrong, points: 0, maxPoints: part.points,
                                   expected: expected, given: g.description, message: message, mistake: mistake?.id,
                                   feedback: mistake?.feedback)
            }
        }
    }

    /// The numbers of a given answer if it has the expected kind, or why not.
    static func interpret(_ g: AnswerFile.Given, as kind: AnswerKind) -> Result<[Double], GraderError> {
        func number(_ g: AnswerFile.Given, integral: Bool) -> Result<Double, GraderError> {
            switch g {
            case .integer(let i): return .success(Double(i))
            case .real(let d):
                if !d.isFinite { return .failure(GraderError("\(Value.format(d)) is not a finite number")) }
                if integral && d != d.rounded() { return .failure(GraderError("expected a whole number, got \(Value.format(d))")) }
                return .success(d)
            case .array: return .failure(GraderError("expected a single number, got a list"))
            case .other(let t): return .failure(GraderError("expected a number, got a \(t) (write it without quotes)"))
            }
        }
        switch kind {
        case .integer, .real:
            return number(g, integral: kind == .integer).map { [$0] }
        case .integers, .reals:
            guard case .array(let items) = g else { return .failure(GraderError("expected a list such as [1, 2, 3], got \(g)")) }
            var out: [Double] = []
            for item in items {
                switch number(item, integral: kind == .integers) {
                case .success(let d): out.append(d)
                case .failure(let e): return .failure(GraderError("in the list: \(e.description)"))
                }
            }
            return .success(out)
        }
    }

    static func matches(_ numbers: [Double], _ key: Value, _ tolerance: Tolerance) -> Bool {
        guard let expected = key.numbers, expected.count == numbers.count else { return false }
        return zip(numbers, expected).allSatisfy { tolerance.accepts($0, $1) }
    }

    static func difference(_ numbers: [Double], _ key: Value) -> String {
        guard let expected = key.numbers else { return "incorrect" }
        if expected.count != numbers.count { return "expected \(expected.count) value(s), got \(numbers.count)" }
        return "incorrect"
    }
}
