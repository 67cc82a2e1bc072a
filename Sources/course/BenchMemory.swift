import ArgumentParser
import CNN
import Foundation
import Zoo

/// The memory figure of `course bench`: how much one DenseNet-121 training step at batch 8
/// (224x224, forward + cross-entropy + backward) grows memory, for the memory-efficient network
/// (checkpointed concatenation + BN + ReLU + 1x1 conv, as torchvision's `memory_efficient=True`;
/// the reported `densenet121_step_memory`) and the naive one, each measured two ways in a fresh
/// child process (so nothing the other workloads left behind counts):
///   - the engine's meter: peak live tensor bytes during the step − live bytes before it;
///   - the process: peak RSS during the step (VmHWM, reset through /proc/self/clear_refs just
///     before the step) − RSS before it.
enum BenchMemory {
    static let batch = 8

    /// Runs one child per variant and returns the figures in MiB (the meter's is the reported value).
    static func densenet121Step() throws -> [BenchSuite.Measured] {
        let efficient = try child(memoryEfficient: true), naive = try child(memoryEfficient: false)
        let mib = { (bytes: Int) in Double(bytes) / 1_048_576 }
        return [
            BenchSuite.Measured(name: "densenet121_step_memory", value: mib(efficient.meter), unit: "MiB", reference: 769,
                                note: "DenseNet(depth: 121, memoryEfficient: true), batch 8, engine meter (peak - live before); "
                                    + "PyTorch memory_efficient 769, naive 1233"),
            BenchSuite.Measured(name: "densenet121_step_memory_rss", value: mib(efficient.rss), unit: "MiB", reference: 769,
                                note: "same step, process peak RSS - RSS before (Engine.allocationPolicy = .release)"),
            BenchSuite.Measured(name: "densenet121_step_memory_naive", value: mib(naive.meter), unit: "MiB", reference: 1233,
                                note: "DenseNet(depth: 121), every layer concatenates afresh; engine meter"),
            BenchSuite.Measured(name: "densenet121_step_memory_naive_rss", value: mib(naive.rss), unit: "MiB", reference: 1233,
                                note: "same step, process peak RSS - RSS before"),
        ]
    }

    /// One measuring child process: (meter growth, RSS growth) in bytes.
    static func child(memoryEfficient: Bool) throws -> (meter: Int, rss: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["bench", "all", "--memory-child"] + (memoryEfficient ? ["--memory-efficient"] : [])
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard process.terminationStatus == 0, numbers.count == 2 else {
            throw ValidationError("densenet121_step_memory: the measuring process failed (status \(process.terminationStatus)): "
                                  + (errors.split(separator: "\n").last.map(String.init) ?? "no message"))
        }
        return (numbers[0], numbers[1])
    }

    /// The child: builds the network and one batch, then prints "<meter growth> <RSS growth>" in bytes.
    static func childMain(memoryEfficient: Bool) throws {
        // Resident memory follows the live tensors only when freed blocks go back to the system.
        Engine.allocationPolicy = .release
        Random.seed(0)
        let model = DenseNet(depth: 121, memoryEfficient: memoryEfficient)
        model.train()
        let x = Tensor.randomNormal([batch, 3, 224, 224], seed: 1)
        let labels = (0..<batch).map { $0 % 1000 }
        let resetWorked = resetPeakRSS()
        let rssBefore = try statusField("VmRSS")
        MemoryMeter.resetPeak()
        let liveBefore = MemoryMeter.liveBytes
        crossEntropy(logits: model(x), labels: labels).backward()
        let meterGrowth = MemoryMeter.peakBytes - liveBefore
        let rssGrowth = try statusField("VmHWM") - rssBefore
        guard resetWorked else {
            throw ValidationError("densenet121_step_memory: /proc/self/clear_refs could not reset the peak RSS")
        }
        print(meterGrowth, rssGrowth)
    }

    /// Writes "5" to /proc/self/clear_refs, which sets VmHWM to the current RSS (Linux >= 4.0).
    static func resetPeakRSS() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// A "kB" field of /proc/self/status, in bytes.
    static func statusField(_ name: String) throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let parts = line.split(whereSeparator: \.isWhitespace)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        throw ValidationError("densenet121_step_memory: no \(name) in /proc/self/status")
    }
}
