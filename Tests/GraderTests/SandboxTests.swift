import Foundation
import Testing
import Grader

/// Hostile and broken student code against the sandbox, through the receptive-field code
/// exercise (its reference needs no numeric kernels).
@Suite("Sandboxed code grading", .serialized)
struct SandboxTests {
    let exercise = Bank.codeExercises.first { $0.id == "code-receptive-field" }!
    var grader: CodeGrader {
        var g = CodeGrader()
        g.runLimits.cpuSeconds = 2
        g.runLimits.wallSeconds = 6
        g.runLimits.memoryBytes = 256 << 20
        return g
    }

    func run(_ body: String) -> [CheckResult] {
        grader.grade(exercise, source: Data(body.utf8))
    }

    static let correct = """
    func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
        var l = 1, jump = 1, out: [Int] = []
        for (f, s) in zip(kernels, strides) { l += (f - 1) * jump; jump *= s; out.append(l) }
        return out
    }
    """

    @Test func correctCodeScoresEveryTest() {
        let r = run(Self.correct)
        #expect(r.count == exercise.tests.count && r.allSatisfy { $0.status == .correct }, "\(r)")
    }

    @Test func partlyCorrectCodeGetsPartialCredit() {
        // Forgets the stride product: right only when every stride is 1.
        let r = run("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { var l = 1; return kernels.map { l += $0 - 1; return l } }")
        #expect(r.contains { $0.status == .correct } && r.contains { $0.status == .wrong })
    }

    @Test func compileErrorIsReported() {
        let r = run("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { return kernels + }")
        #expect(r.allSatisfy { $0.status == .invalid && ($0.message ?? "").hasPrefix("does not compile") })
    }

    @Test func infiniteLoopHitsTheTimeLimit() {
        let r = run("func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] { var i = 0; while true { i &+= 1 } }")
        #expect(r.allSatisfy { $0.points == 0 })
        #expect(r.first?.message?.contains("took longer than") == true, "\(r.first?.message ?? "")")
    }

    @Test func hugeAllocationHitsTheMemoryLimit() {
        let r = run("""
        func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
            let n = 100 << 30
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            var i = 0; while i < n { p[i] = 1; i += 4096 }
            return [Int(p[0])]
        }
        """)
        #expect(r.allSatisfy { $0.points == 0 })
        let m = r.first?.message ?? ""
        #expect(m.contains("memory") || m.contains("crashed"), "\(m)")
    }

    @Test func forkBombIsContained() {
        let r = run("""
        import Glibc
        func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
            while true { _ = fork() }
        }
        """)
        #expect(r.allSatisfy { $0.points == 0 })
        let m = r.first?.message ?? ""
        #expect(m.contains("processes") || m.contains("took longer"), "\(m)")
    }

    @Test func networkIsUnreachable() throws {
        // A listener on the host's loopback: the sandbox has its own, empty, network namespace.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in(); addr.sin_family = sa_family_t(AF_INET); addr.sin_addr.s_addr = inet_addr("127.0.0.1"); addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        listen(fd, 1)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        defer { close(fd) }
        let port = UInt16(bigEndian: addr.sin_port)
        let r = run("""
        import Glibc
        func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var a = sockaddr_in(); a.sin_family = sa_family_t(AF_INET); a.sin_addr.s_addr = inet_addr("127.0.0.1"); a.sin_port = UInt16(\(port)).bigEndian
            let ok = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            return [ok == 0 ? 424242 : -1]
        }
        """)
        #expect(r.allSatisfy { !($0.given ?? "").contains("424242") }, "\(r)")
    }

    @Test func hiddenFilesAndHostAreNotReadableOrWritable() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("coursekit-secret-\(UUID().uuidString)")
        try "424242".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let escape = secret.path + ".escaped"
        let r = run("""
        import Glibc
        func readable(_ p: String) -> Bool { let f = fopen(p, "r"); if f != nil { fclose(f) }; return f != nil }
        func receptiveFields(kernels: [Int], strides: [Int]) -> [Int] {
            let f = fopen("\(escape)", "w"); if f != nil { fputs("x", f); fclose(f) }
            let leaked = readable("\(secret.path)") || readable("/box/main.swift") || readable("main.swift")
            return [leaked ? 424242 : -1]
        }
        """)
        #expect(r.allSatisfy { !($0.given ?? "").contains("424242") }, "\(r)")
        #expect(!FileManager.default.fileExists(atPath: escape))
    }

    @Test func missingAndEmptyFilesAreReported() {
        #expect(grader.grade(exercise, source: nil).allSatisfy { $0.status == .missing })
        #expect(grader.grade(exercise, source: Data()).allSatisfy { $0.status == .invalid })
        #expect(grader.grade(exercise, source: Data([0xff, 0xfe, 0x00])).allSatisfy { $0.message?.contains("UTF-8") == true })
    }
}
