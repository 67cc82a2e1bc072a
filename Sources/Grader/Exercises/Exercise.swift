import CNN

/// One graded question of an exercise sheet: a prompt, the key computed from the variant's
/// parameters by the engine, a tolerance, points, and the known mistakes it recognises.
public struct Part: Sendable {
    public let id: String
    public let prompt: @Sendable (Parameters) -> Localized
    public let points: Double
    public let tolerance: Tolerance
    /// The expected kind of answer, for the answer template and type errors.
    public let kind: AnswerKind
    public let answer: @Sendable (Parameters) -> Value
    public let mistakes: [Mistake]

    public init(id: String, points: Double, tolerance: Tolerance = .exact, kind: AnswerKind,
                prompt: @escaping @Sendable (Parameters) -> Localized,
                answer: @escaping @Sendable (Parameters) -> Value, mistakes: [Mistake] = []) {
        self.id = id; self.points = points; self.tolerance = tolerance; self.kind = kind
        self.prompt = prompt; self.answer = answer; self.mistakes = mistakes
    }
}

public enum AnswerKind: String, Codable, Sendable {
    case integer, real, integers, reals
    var templateValue: String {
        switch self { case .integer: return "0"; case .real: return "0.0"; case .integers, .reals: return "[]" }
    }
}

/// A wrong answer that a known misconception produces, with the feedback it deserves.
/// The grader recognises it when the given answer matches `answer` within the part's tolerance.
public struct Mistake: Sendable {
    public let id: String
    public let feedback: Localized
    public let answer: @Sendable (Parameters) -> Value
    public init(id: String, feedback: Localized, answer: @escaping @Sendable (Parameters) -> Value) {
        self.id = id; self.feedback = feedback; self.answer = answer
    }
}

/// An exercise: a parameter generator seeded per student, a prompt, and its parts.
public struct Exercise: Sendable {
    public let id: String
    public let title: Localized
    /// The lesson that teaches it (the handout names the exercise by id).
    public let lesson: String
    public let generate: @Sendable (inout SeededGenerator) -> Parameters
    public let prompt: @Sendable (Parameters) -> Localized
    public let parts: [Part]

    public init(id: String, title: Localized, lesson: String,
                generate: @escaping @Sendable (inout SeededGenerator) -> Parameters,
                prompt: @escaping @Sendable (Parameters) -> Localized, parts: [Part]) {
        precondition(!parts.isEmpty, "Exercise \(id): no parts")
        precondition(Set(parts.map(\.id)).count == parts.count, "Exercise \(id): duplicate part ids")
        self.id = id; self.title = title; self.lesson = lesson
        self.generate = generate; self.prompt = prompt; self.parts = parts
    }

    public var points: Double { parts.reduce(0) { $0 + $1.points } }

    /// The variant of `student` in `assignment`: the same on every run and machine.
    public func parameters(assignment: String, student: String) -> Parameters {
        var g = SeededGenerator(seed: variantSeed(assignment, id, student))
        return generate(&g)
    }
}

/// A stable 64-bit seed from strings (FNV-1a over UTF-8 with separators, then SplitMix64
/// finalisation). Independent of Swift's per-process randomised `Hasher`.
public func variantSeed(_ parts: String...) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for p in parts {
        for b in p.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
    }
    h ^= h >> 30; h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 27; h = h &* 0x94D0_49BB_1331_11EB
    return h ^ (h >> 31)
}

extension SeededGenerator {
    /// Uniform integer in `range` (rejection-free modulo is fine for these small ranges).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
    /// One element of `choices`.
    public mutating func pick<T>(_ choices: [T]) -> T { choices[int(in: 0...(choices.count - 1))] }
}

/// An assignment: an ordered set of exercises handed out together.
public struct Assignment: Sendable {
    public let id: String
    public let title: Localized
    public let exercises: [Exercise]
    public let codeExercises: [CodeExercise]

    public init(id: String, title: Localized, exercises: [Exercise], codeExercises: [CodeExercise] = []) {
        precondition(Set(exercises.map(\.id)).count == exercises.count, "Assignment \(id): duplicate exercise ids")
        self.id = id; self.title = title; self.exercises = exercises; self.codeExercises = codeExercises
    }

    public var points: Double { exercises.reduce(0) { $0 + $1.points } + codeExercises.reduce(0) { $0 + $1.points } }
}
