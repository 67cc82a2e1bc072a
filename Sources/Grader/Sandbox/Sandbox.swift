import Foundation

/// Limits for one sandboxed run. Every limit that trips is named in the result's message.
public struct SandboxLimits: Sendable {
    public var cpuSeconds = 10
    public var wallSeconds: Double = 20
    public var memoryBytes = 512 << 20
    public var processes = 64
    public var outputBytes = 1 << 20
    public var fileBytes = 16 << 20
    public init() {}
}

/// Which limit ended a run.
public enum SandboxLimit: String, Codable, Sendable {
    case cpu, wall, memory, processes, output, fileSize

    func message(_ l: SandboxLimits) -> String {
        switch self {
        case .cpu: return "took longer than \(l.cpuSeconds) s of CPU time"
        case .wall: return "took longer than \(Value.format(l.wallSeconds)) s (wall clock)"
        case .memory: return "used more than \(l.memoryBytes >> 20) MB of memory"
        case .processes: return "tried to start more than \(l.processes) processes"
        case .output: return "printed more than \(l.outputBytes >> 10) KB"
        case .fileSize: return "wrote a file larger than \(l.fileBytes >> 20) MB"
        }
    }
}

public struct SandboxResult: Sendable {
    public let exitCode: Int32
    public let stdout: String
    public let stderr: String
    public let wallSeconds: Double
    /// The limits that were hit (a fork bomb can hit the process limit and then the time limit).
    public let limits: [SandboxLimit]
    public let limitsInForce: SandboxLimits

    public var succeeded: Bool { exitCode == 0 && limits.isEmpty }

    /// A sentence for the student's report ("took longer than 10 s", never a bare "Killed").
    public var summary: String {
        if !limits.isEmpty { return limits.map { $0.message(limitsInForce) }.joined(separator: "; ") }
        if exitCode == 0 { return "ran successfully" }
        if exitCode > 128 { return "crashed (signal \(exitCode - 128)\(Sandbox.signalName(exitCode - 128)))" }
        return "exited with status \(exitCode)"
    }
}

/// Runs untrusted programs under bubblewrap: no network (only a private loopback), a read-only
/// system, a private writable scratch folder at /box and nothing else of the host, no
/// capabilities, an unprivileged uid, and CPU, memory, process, file-size, output and
/// wall-clock limits (rlimits through prlimit; memory and processes through cgroup v1 when the
/// grader runs as root, since RLIMIT_NPROC does not restrain root).
public enum Sandbox {
    /// The Swift toolchain's root (the folder holding usr/bin/swiftc), bound read-only.
    static let toolchainRoot: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent("swiftc")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                let real = candidate.resolvingSymlinksInPath()
                return real.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            }
        }
        return nil
    }()

    /// Whether bubblewrap and prlimit are installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")
    }

    /// Runs `command` inside the sandbox with `scratch` as its writable working folder /box.
    /// `readOnly` binds extra host paths (host path, path inside).
    public static func run(_ command: [String], scratch: URL, readOnly: [(String, String)] = [],
                           limits: SandboxLimits = SandboxLimits()) throws -> SandboxResult {
        guard isAvailable else { throw GraderError("the sandbox needs bubblewrap and prlimit (apt-get install bubblewrap util-linux)") }
        let cgroup = CGroup(limits: limits)
        defer { cgroup?.remove() }

        var bwrap = ["/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--cap-drop", "ALL",
                     "--uid", "65534", "--gid", "65534",
                     "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                     "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
                     "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                     "--bind", scratch.path, "/box", "--chdir", "/box",
                     "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8", "--setenv", "SWIFT_BACKTRACE", "enable=no"]
        for path in ["/etc/alternatives", "/etc/fonts"] where FileManager.default.fileExists(atPath: path) {
            bwrap += ["--ro-bind", path, path]
        }
        var path = "/usr/bin:/bin"
        if let root = toolchainRoot, !root.hasPrefix("/usr") {
            bwrap += ["--ro-bind", root, root]
            path = "\(root)/usr/bin:" + path
        }
        for (host, inside) in readOnly { bwrap += ["--ro-bind", host, inside] }
        bwrap += ["--setenv", "PATH", path, "--"] + command

        let prlimit = ["/usr/bin/prlimit", "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)", "--fsize=\(limits.fileBytes)",
                       "--nofile=256", "--core=0"] + (cgroup == nil ? ["--as=\(limits.memoryBytes * 2)"] : []) + ["--"]
        // The shell joins the cgroups before it execs the rest, so every descendant is counted.
        let join = (cgroup?.procsFiles ?? []).map { "echo $$ > '\($0)'" }.joined(separator: "; ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", (join.isEmpty ? "" : join + "; ") + "exec \"$@\"", "sh"] + prlimit + bwrap
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice

        let start = Date()
        try process.run()
        let stdout = BoundedReader(out.fileHandleForReading, limit: limits.outputBytes)
        let stderr = BoundedReader(err.fileHandleForReading, limit: 64 << 10)
        var wallHit = false
        while process.isRunning {
            if Date().timeIntervalSince(start) > limits.wallSeconds { wallHit = true; kill(process, cgroup); break }
            if stdout.overflowed { kill(process, cgroup); break }
            usleep(5_000)
        }
        process.waitUntilExit()
        let elapsed = Date().timeIntervalSince(start)
        let outText = stdout.finish(), errText = stderr.finish()

        var hit: [SandboxLimit] = []
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        if let cgroup {
            if cgroup.processLimitHit { hit.append(.processes) }
            if cgroup.memoryLimitHit && status != 0 { hit.append(.memory) }
        }
        // An allocation larger than the limit fails at once (the Swift runtime aborts with this
        // message) rather than growing into the cgroup's limit.
        if !hit.contains(.memory), status != 0,
           ["failed to allocate", "Could not allocate memory", "Cannot allocate memory", "out of memory", "std::bad_alloc"].contains(where: errText.contains) {
            hit.append(.memory)
        }
        if status == 128 + 24 || (status == 128 + 9 && !hit.contains(.memory) && !wallHit && !stdout.overflowed) { hit.append(.cpu) }
        if status == 128 + 25 { hit.append(.fileSize) }
        if wallHit { hit.append(.wall) }
        if stdout.overflowed { hit.append(.output) }
        return SandboxResult(exitCode: status, stdout: outText, stderr: errText, wallSeconds: elapsed, limits: hit, limitsInForce: limits)
    }

    static func kill(_ process: Process, _ cgroup: CGroup?) {
        cgroup?.killAll()
        process.terminate()
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    static func signalName(_ s: Int32) -> String {
        switch s { case 4: return ", SIGILL: a trap such as a failed precondition or an out-of-range index"
        case 5: return ", SIGTRAP: a Swift runtime error (overflow, force-unwrap of nil, index out of range)"
        case 6: return ", SIGABRT"; case 9: return ", SIGKILL"; case 11: return ", SIGSEGV"; default: return "" }
    }
}

/// Reads a pipe on a background thread, keeping at most `limit` bytes.
final class BoundedReader: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private(set) var overflowed = false
    let limit: Int

    init(_ handle: FileHandle, limit: Int) {
        self.limit = limit
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock()
                if data.count + chunk.count > limit { data.append(chunk.prefix(max(0, limit - data.count))); overflowed = true }
                else { data.append(chunk) }
                lock.unlock()
            }
            done.signal()
        }
    }

    func finish() -> String {
        _ = done.wait(timeout: .now() + 2)
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
