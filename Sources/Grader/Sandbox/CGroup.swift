import Foundation

/// A pair of cgroup-v1 groups (memory, pids) for one sandboxed run, when the host allows it
/// (root, v1 hierarchy mounted at /sys/fs/cgroup). Without them the sandbox falls back to an
/// address-space rlimit and has no process limit for root.
final class CGroup {
    let memory: URL
    let pids: URL

    init?(limits: SandboxLimits) {
        let name = "coursekit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fm = FileManager.default
        let memRoot = URL(fileURLWithPath: "/sys/fs/cgroup/memory"), pidRoot = URL(fileURLWithPath: "/sys/fs/cgroup/pids")
        guard fm.isWritableFile(atPath: memRoot.path), fm.isWritableFile(atPath: pidRoot.path) else { return nil }
        memory = memRoot.appendingPathComponent(name)
        pids = pidRoot.appendingPathComponent(name)
        do {
            try fm.createDirectory(at: memory, withIntermediateDirectories: false)
            try fm.createDirectory(at: pids, withIntermediateDirectories: false)
            try "\(limits.memoryBytes)".write(to: memory.appendingPathComponent("memory.limit_in_bytes"), atomically: false, encoding: .utf8)
            try? "\(limits.memoryBytes)".write(to: memory.appendingPathComponent("memory.memsw.limit_in_bytes"), atomically: false, encoding: .utf8)
            try "\(limits.processes)".write(to: pids.appendingPathComponent("pids.max"), atomically: false, encoding: .utf8)
        } catch {
            remove()
            return nil
        }
    }

    var procsFiles: [String] { [memory.appendingPathComponent("cgroup.procs").path, pids.appendingPathComponent("cgroup.procs").path] }

    var memoryLimitHit: Bool { (Int(read(memory, "memory.failcnt")) ?? 0) > 0 }

    var processLimitHit: Bool {
        let events = read(pids, "pids.events")   // "max N"
        return events.split(separator: " ").last.flatMap { Int($0) }.map { $0 > 0 } ?? false
    }

    func killAll() {
        for _ in 0..<3 {
            let pids = read(memory, "cgroup.procs").split(separator: "\n").compactMap { Int32($0) }
            if pids.isEmpty { return }
            for p in pids { kill(p, SIGKILL) }
            usleep(10_000)
        }
    }

    func remove() {
        killAll()
        for _ in 0..<50 {   // rmdir succeeds once the last process has been reaped
            if rmdir(memory.path) == 0 || errno == ENOENT { break }
            usleep(20_000)
        }
        for _ in 0..<50 { if rmdir(pids.path) == 0 || errno == ENOENT { break }; usleep(20_000) }
    }

    private func read(_ dir: URL, _ file: String) -> String {
        ((try? String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
