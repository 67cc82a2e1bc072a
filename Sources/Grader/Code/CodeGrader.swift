import Foundation

/// Compiles a student's file with the hidden harness and runs it, both in the sandbox.
public struct CodeGrader: Sendable {
    public var compileLimits: SandboxLimits = {
        var l = SandboxLimits()
        l.cpuSeconds = 60; l.wallSeconds = 90; l.memoryBytes = 1536 << 20; l.processes = 64
        return l
    }()
    public var runLimits = SandboxLimits()
    public init() {}

    /// Grades `source` (the student's file contents) for `exercise`; never throws for the
    /// student's faults: compile errors, crashes and limits become failed checks with messages.
    public func grade(_ exercise: CodeExercise, source: Data?) -> [CheckResult] {
        func all(_ status: CheckResult.Status, _ message: String, given: String? = nil) -> [CheckResult] {
            exercise.tests.map { CheckResult(exercise: exercise.id, part: $0.name, status: status, points: 0,
                                             maxPoints: exercise.pointsPerTest, expected: "reference output", given: given,
                                             message: message, mistake: nil) }
        }
        guard let source else { return all(.missing, "\(exercise.fileName) was not submitted") }
        if source.isEmpty { return all(.invalid, "\(exercise.fileName) is empty") }
        if source.count > 256 << 10 { return all(.invalid, "\(exercise.fileName) is \(source.count >> 10) KB; the limit is 256 KB") }
        guard String(data: source, encoding: .utf8) != nil else { return all(.invalid, "\(exercise.fileName) is not UTF-8 text") }

        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("coursekit-code-\(UUID().uuidString)")
        let build = base.appendingPathComponent("build"), run = base.appendingPathComponent("run")
        defer { try? fm.removeItem(at: base) }
        do {
            try fm.createDirectory(at: build, withIntermediateDirectories: true)
            try fm.createDirectory(at: run, withIntermediateDirectories: true)
            try source.write(to: build.appendingPathComponent(exercise.fileName))
            try exercise.harnessSource().write(to: build.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
            try setWorldWritable(build); try setWorldWritable(run)
        } catch { return all(.error, "the grader could not prepare the build folder: \(error)") }

        let compile: SandboxResult
        do {
            compile = try Sandbox.run(["swiftc", "-Onone", "-suppress-warnings", "-module-cache-path", "/tmp/mc",
                                       exercise.fileName, "main.swift", "-o", "prog"], scratch: build, limits: compileLimits)
        } catch { return all(.error, "\(error)") }
        guard compile.succeeded else {
            let firstError = compile.stderr.split(separator: "\n").first { $0.contains("error:") }
                .map { String($0).replacingOccurrences(of: "/box/", with: "") } ?? compile.summary
            return all(.invalid, compile.limits.isEmpty ? "does not compile: \(firstError)" : "compilation \(compile.summary)")
        }
        do {
            try fm.copyItem(at: build.appendingPathComponent("prog"), to: run.appendingPathComponent("prog"))
        } catch { return all(.error, "the grader could not stage the program: \(error)") }

        let result: SandboxResult
        do { result = try Sandbox.run(["./prog"], scratch: run, limits: runLimits) } catch { return all(.error, "\(error)") }
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return exercise.tests.enumerated().map { i, test in
            let expected = test.expected()
            let expectedText = "[" + expected.prefix(6).map(Value.format).joined(separator: ", ") + (expected.count > 6 ? ", …]" : "]")
            guard i < lines.count, let data = lines[i].data(using: .utf8),
                  let parsed = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
                let why = result.succeeded ? "printed no result for this test" : result.summary
                return CheckResult(exercise: exercise.id, part: test.name, status: .wrong, points: 0, maxPoints: exercise.pointsPerTest,
                                   expected: expectedText, given: nil, message: why, mistake: nil)
            }
            let given = parsed.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
            let givenText = "[" + given.prefix(6).map(Value.format).joined(separator: ", ") + (given.count > 6 ? ", …]" : "]")
            let ok = given.count == expected.count && zip(given, expected).allSatisfy { exercise.tolerance.accepts($0, $1) }
            var message: String? = nil
            if !ok {
                if given.count != expected.count { message = "returned \(given.count) values, expected \(expected.count)" }
                else if let j = given.indices.first(where: { !exercise.tolerance.accepts(given[$0], expected[$0]) }) {
                    message = "element \(j): got \(Value.format(given[j])), expected \(Value.format(expected[j]))"
                }
            }
            return CheckResult(exercise: exercise.id, part: test.name, status: ok ? .correct : .wrong,
                               points: ok ? exercise.pointsPerTest : 0, maxPoints: exercise.pointsPerTest,
                               expected: expectedText, given: givenText, message: message, mistake: nil)
        }
    }

    private func setWorldWritable(_ url: URL) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: url.path)
        for f in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] {
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: url.appendingPathComponent(f).path)
        }
    }
}
