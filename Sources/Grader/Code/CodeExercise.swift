import Foundation
import CNN

/// A code exercise: the student implements a Swift function with a given signature; a hidden
/// harness calls it on test inputs inside the sandbox and prints the outputs; the grader
/// compares them, outside the sandbox, with the engine's reference. Expected values never
/// enter the sandbox, and the harness source is present only while compiling.
public struct CodeExercise: Sendable {
    public let id: String
    public let title: Localized
    public let lesson: String
    /// The file the student submits (`LRN.swift`).
    public let fileName: String
    /// What the sheet shows: the task and the exact signature.
    public let prompt: Localized
    public let signature: String
    public let pointsPerTest: Double
    public let tests: [CodeTest]
    /// Tolerance on every output element.
    public let tolerance: Tolerance

    public var points: Double { pointsPerTest * Double(tests.count) }

    public init(id: String, title: Localized, lesson: String, fileName: String, prompt: Localized, signature: String,
                pointsPerTest: Double, tolerance: Tolerance = .relative(rtol: 1e-4, atol: 1e-5), tests: [CodeTest]) {
        self.id = id; self.title = title; self.lesson = lesson; self.fileName = fileName; self.prompt = prompt
        self.signature = signature; self.pointsPerTest = pointsPerTest; self.tolerance = tolerance; self.tests = tests
    }

    /// The harness's main.swift: one line of JSON per test, `[numbers…]`.
    func harnessSource() -> String {
        var s = "// Hidden test harness for \(id).\n"
        s += "func __emit(_ v: [Float]) { print(\"[\" + v.map { $0.isFinite ? \"\\($0)\" : \"null\" }.joined(separator: \",\") + \"]\") }\n"
        s += "func __emit(_ v: [Int]) { print(\"[\" + v.map { \"\\($0)\" }.joined(separator: \",\") + \"]\") }\n"
        for t in tests { s += "__emit(\(t.call))\n" }
        return s
    }
}

/// One hidden test: a Swift call expression and the engine's expected output.
public struct CodeTest: Sendable {
    public let name: String
    public let call: String
    public let expected: @Sendable () -> [Double]
    public init(name: String, call: String, expected: @escaping @Sendable () -> [Double]) {
        self.name = name; self.call = call; self.expected = expected
    }
}

/// Swift literal for a Float array (the harness bakes inputs into its source).
func swiftLiteral(_ v: [Float]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "] as [Float]" }
func swiftLiteral(_ v: [Int]) -> String { "[" + v.map(String.init).joined(separator: ", ") + "]" }
