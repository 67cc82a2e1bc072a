// Measuring one training step: the engine's memory meter in this process, and the process's
// peak resident set in a fresh child process (the lesson re-runs itself with --measure-child),
// so what earlier experiments allocated and freed cannot hide in the figure.
import CNN
import Foundation
import Zoo

/// One training step of one network: memory and time.
struct StepMeasure: Codable {
    var name: String
    var parameters: Int
    /// Meter peak during the step minus the bytes live before it (activations, saved tensors, gradients).
    var meterBytes: Int
    /// Peak resident set during the step minus the resident set before it (child process only).
    var rssBytes: Int?
    /// Seconds per step (median of the timed steps; one cold step in the child).
    var seconds: Double

    var meterMiB: Double { Double(meterBytes) / 1_048_576 }
    var rssMiB: Double? { rssBytes.map { Double($0) / 1_048_576 } }
}

/// The networks the lesson measures, named on the child's command line.
enum NetSpec {
    static func make(_ name: String, depth: Int, growth: Int, efficient: Bool) -> Module {
        switch name {
        case "densenet_bc": DenseNet(bcDepth: depth, growthRate: growth, memoryEfficient: efficient)
        case "densenet": DenseNet(depth: depth, growthRate: growth, memoryEfficient: efficient)
        case "cifar_resnet": CIFARResNet(depth: depth)
        case "resnet": ResNet(depth: depth)
        default: preconditionFailure("NetSpec: unknown network \(name)")
        }
    }
}

/// Forward, cross-entropy against class 0, backward; gradients cleared afterwards.
func trainingStep(_ model: Module, _ x: Tensor) {
    let loss = crossEntropy(logits: model(x), labels: Array(repeating: 0, count: x.shape[0]))
    loss.backward()
    model.zeroGrad()
}

/// The meter's peak growth over one step, then the median time of `timedSteps` more steps.
func meterStep(_ name: String, _ model: Module, input: [Int], timedSteps: Int = 1) -> StepMeasure {
    model.train()
    let x = Tensor.randomNormal(input, seed: 1)
    MemoryMeter.resetPeak()
    let before = MemoryMeter.liveBytes
    var start = Date()
    trainingStep(model, x)
    var times = [Date().timeIntervalSince(start)]
    let peak = MemoryMeter.peakBytes - before
    if timedSteps > 0 {
        times = (0..<timedSteps).map { _ in
            start = Date()
            trainingStep(model, x)
            return Date().timeIntervalSince(start)
        }
    }
    return StepMeasure(name: name, parameters: model.parameterCount, meterBytes: peak, rssBytes: nil,
                       seconds: times.sorted()[times.count / 2])
}

/// The meter's peak for each model, then `rounds` timed steps taken in turn (model 1, 2, 3, 1, 2,
/// 3, …), so a change in the machine's load during the measurement hits every model alike;
/// seconds is each model's median.
func interleavedSteps(_ models: [(name: String, model: Module)], input: [Int], rounds: Int) -> [StepMeasure] {
    var results = models.map { meterStep($0.name, $0.model, input: input, timedSteps: 0) }
    let x = Tensor.randomNormal(input, seed: 1)
    var times = [[Double]](repeating: [], count: models.count)
    for _ in 0..<rounds {
        for (i, m) in models.enumerated() {
            let start = Date()
            trainingStep(m.model, x)
            times[i].append(Date().timeIntervalSince(start))
        }
    }
    for i in results.indices where !times[i].isEmpty { results[i].seconds = times[i].sorted()[times[i].count / 2] }
    return results
}

/// Resident-set figures of this process from /proc/self/status, in bytes ("VmRSS", "VmHWM").
func procStatus(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let kb = line.split(separator: " ").compactMap { Int($0) }.first
        return kb.map { $0 * 1024 }
    }
    return nil
}

enum MeasureChild {
    static let flag = "--measure-child"

    /// In the child: build the network, warm the kernels up on a tiny batch (thread pools, BLAS
    /// buffers), then measure one step; prints one JSON line and exits.
    static func runIfRequested() {
        let args = CommandLine.arguments
        guard let i = args.firstIndex(of: flag), args.count >= i + 6 else { return }
        let (name, depth, growth, efficient) = (args[i + 1], Int(args[i + 2])!, Int(args[i + 3])!, args[i + 4] == "1")
        let input = args[i + 5].split(separator: ",").map { Int($0)! }
        Random.seed(0)
        let model = NetSpec.make(name, depth: depth, growth: growth, efficient: efficient)
        trainingStep(model, Tensor.randomNormal([1, input[1], 64, 64], seed: 2))
        let x = Tensor.randomNormal(input, seed: 1)
        // Resets the kernel's peak-RSS counter (VmHWM) to the current RSS (Linux ≥ 4.0).
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        let rssBefore = procStatus("VmRSS") ?? 0
        MemoryMeter.resetPeak()
        let before = MemoryMeter.liveBytes
        let start = Date()
        trainingStep(model, x)
        let seconds = Date().timeIntervalSince(start)
        let rss = (procStatus("VmHWM") ?? 0) - rssBefore
        let m = StepMeasure(name: name, parameters: model.parameterCount, meterBytes: MemoryMeter.peakBytes - before,
                            rssBytes: rss, seconds: seconds)
        print(String(decoding: try! JSONEncoder().encode(m), as: UTF8.self))
        exit(0)
    }

    /// Runs one measured step of `name` in a child process of this lesson. With `fixedMmapThreshold`,
    /// glibc serves every allocation of 128 KiB or more with its own mmap and returns it to the
    /// system on free (`MALLOC_MMAP_THRESHOLD_`); by default the threshold grows after each free of
    /// a large block (up to 32 MiB), and freed heap memory can stay resident.
    static func measure(_ label: String, _ name: String, depth: Int, growth: Int = 0, efficient: Bool, input: [Int],
                        fixedMmapThreshold: Bool = true) throws -> StepMeasure {
        let process = Process()
        var environment = ProcessInfo.processInfo.environment
        if fixedMmapThreshold { environment["MALLOC_MMAP_THRESHOLD_"] = "131072" }
        process.environment = environment
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = [flag, name, String(depth), String(growth), efficient ? "1" : "0", input.map(String.init).joined(separator: ",")]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last else {
            throw MeasureError.childFailed("\(label): measuring child exited with status \(process.terminationStatus)")
        }
        var m = try JSONDecoder().decode(StepMeasure.self, from: Data(line.utf8))
        m.name = label
        return m
    }
}

enum MeasureError: Error, CustomStringConvertible {
    case childFailed(String)
    var description: String { switch self { case .childFailed(let s): s } }
}
