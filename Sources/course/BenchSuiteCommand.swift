import ArgumentParser
import CNN
import Foundation
import Training
import Zoo

/// `course bench` (default subcommand `all`): every figure of the performance reference list —
/// training throughput, one convolution layer, LRN, batch-1 inference and DenseNet-121's
/// training-step memory — next to PyTorch's figure on a 2-core machine of the same class and the
/// sgemm 2048^3 GFLOP/s measured in the same run (the median of samples taken between the
/// workloads, so a busy machine shows up in both). Writes Output/bench.json atomically.
struct BenchSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every reference workload, print the table and write Output/bench.json.",
        discussion: """
        PyTorch figures: PyTorch 2.x (oneDNN convolutions), 2 threads on a 2-core Zen 4 machine, medians. \
        ratio = speed ratio kit/PyTorch (for ms and MiB: PyTorch's figure / the kit's, so above 1 is better).
        """
    )

    @Option(help: "Run only these workloads (comma-separated names, e.g. train_resnet20,lrn_fwd).")
    var only: String?

    @Option(help: "Where to write the JSON report.")
    var output = "Output/bench.json"

    @Flag(help: "Also print the JSON report on standard output (the file is always written).")
    var json = false

    @Option(help: "Size of the square sgemm yardstick.")
    var gemmSize = 2048

    @Flag(help: .hidden) var memoryChild = false
    @Option(help: "3x3 stride-1 convolutions: auto, always (direct kernel where it applies) or never (im2col + GEMM).")
    var direct: DirectConvolution = .automatic
    @Option(help: "3x3 stride-1 convolutions that do not take the direct kernel: auto (Winograd F(2x2, 3x3) where it pays), always (wherever it applies) or never.")
    var winograd: WinogradConvolution = .automatic
    @Flag(help: .hidden) var memoryEfficient = false

    func validate() throws {
        let known = Self.workloads.map(\.name)
        for name in selected where !known.contains(name) {
            throw ValidationError("unknown workload '\(name)'; the workloads are \(known.joined(separator: ", "))")
        }
        guard gemmSize >= 1 else { throw ValidationError("--gemm-size must be positive, got \(gemmSize)") }
    }

    private var selected: [String] {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? Self.workloads.map(\.name)
    }

    /// One workload of the reference list: its name, unit, PyTorch figure and how to measure it.
    struct Workload: Sendable {
        let name: String
        let unit: String
        let reference: Double
        let run: @Sendable () throws -> [Measured]
    }

    /// A measured figure (a workload may add a second, informational one: the RSS of the memory step).
    struct Measured {
        let name: String, value: Double, unit: String, reference: Double, note: String
    }

    static func train(_ name: String, _ reference: Double, input: [Int], steps: Int, repetitions: Int, warmup: Int,
                      _ make: @escaping @Sendable () -> Module) -> Workload {
        Workload(name: name, unit: "img/s", reference: reference) {
            let w = BenchTrain.Workload(name: name, input: input, classes: 10, pytorchImagesPerSecond: reference, make: make)
            let r = BenchTrain.measure(w, batch: 128, steps: steps, repetitions: repetitions, warmup: warmup)
            return [Measured(name: name, value: r.imagesPerSecond, unit: "img/s", reference: reference,
                             note: "batch 128, median of \(repetitions) x \(steps) steps")]
        }
    }

    static func infer(_ name: String, _ reference: Double, repetitions: Int, _ make: @escaping @Sendable () -> Module) -> Workload {
        Workload(name: name, unit: "ms", reference: reference) {
            Random.seed(0)
            let model = make()
            model.eval()
            let folded = model.foldBatchNorms(input: [1, 3, 224, 224]).count
            let x = Tensor.randomNormal([1, 3, 224, 224], seed: 1)
            let s = medianSeconds(repetitions: repetitions) { _ = withNoGrad { model(x) } }
            return [Measured(name: name, value: s * 1000, unit: "ms", reference: reference,
                             note: "batch 1, eval" + (folded > 0 ? ", \(folded) batch norms folded" : "") + ", median of \(repetitions)")]
        }
    }

    static let workloads: [Workload] = [
        train("train_lenet5", 12_700, input: [1, 28, 28], steps: 10, repetitions: 5, warmup: 3) { LeNet5(variant: .classic) },
        train("train_resnet20", 450, input: [3, 32, 32], steps: 2, repetitions: 5, warmup: 1) { CIFARResNet(depth: 20) },
        train("train_plain20", 500, input: [3, 32, 32], steps: 2, repetitions: 5, warmup: 1) { CIFARResNet(depth: 20, shortcut: .none) },
        train("train_resnet56", 147, input: [3, 32, 32], steps: 1, repetitions: 5, warmup: 1) { CIFARResNet(depth: 56) },
        train("train_densenet_bc40", 88, input: [3, 32, 32], steps: 1, repetitions: 5, warmup: 1) { DenseNet(bcDepth: 40, growthRate: 12) },
        Workload(name: "conv_vgg64_fwd", unit: "GFLOP/s", reference: 129) {
            let x = Tensor.randomNormal([32, 64, 56, 56], seed: 3)
            let w = Tensor.randomNormal([64, 64, 3, 3], std: 0.05, seed: 4), b = Tensor.randomNormal([64], seed: 5)
            let s = medianSeconds(repetitions: 5) { _ = withNoGrad { conv2d(x, weight: w, bias: b, padding: (1, 1)) } }
            let flops = 2.0 * Double(32 * 64 * 56 * 56 * 64 * 9)
            return [Measured(name: "conv_vgg64_fwd", value: flops / s / 1e9, unit: "GFLOP/s", reference: 129,
                             note: "64->64 3x3 pad 1, 56x56, batch 32, median of 5")]
        },
        Workload(name: "lrn_fwd", unit: "ms", reference: 178) {
            let x = Tensor.randomNormal([32, 96, 55, 55], seed: 6)
            let s = medianSeconds(repetitions: 5) { _ = withNoGrad { localResponseNorm(x, size: 5, alpha: 1e-4, beta: 0.75, k: 2) } }
            return [Measured(name: "lrn_fwd", value: s * 1000, unit: "ms", reference: 178,
                             note: "32x96x55x55, size 5, median of 5")]
        },
        infer("infer_resnet18", 30, repetitions: 11) { ResNet(depth: 18) },
        infer("infer_resnet50", 64, repetitions: 9) { ResNet(depth: 50) },
        infer("infer_vgg16", 254, repetitions: 5) { VGG(.vgg16) },
        infer("infer_densenet121", 57, repetitions: 9) { DenseNet(depth: 121) },
        infer("infer_alexnet", 20, repetitions: 11) { TorchvisionAlexNet() },
        Workload(name: "densenet121_step_memory", unit: "MiB", reference: 769) { try BenchMemory.densenet121Step() },
    ]

    func run() throws {
        ConvSettings.direct = direct
        ConvSettings.winograd = winograd
        if memoryChild { try BenchMemory.childMain(memoryEfficient: memoryEfficient); return }
        let a = Tensor.randomNormal([gemmSize, gemmSize], seed: 1), b = Tensor.randomNormal([gemmSize, gemmSize], seed: 2)
        var sgemmSamples = [sgemmGFLOPS(a, b)]
        var rows: [(Measured, Double)] = []   // figure, sgemm sample taken right after it
        for w in Self.workloads where selected.contains(w.name) {
            let start = DispatchTime.now().uptimeNanoseconds
            let measured = try w.run()
            let sample = sgemmGFLOPS(a, b)
            sgemmSamples.append(sample)
            for m in measured { rows.append((m, sample)) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            FileHandle.standardError.write(Data(String(format: "  %@ done in %.1f s\n", w.name, seconds).utf8))
        }
        let sgemm = median(sgemmSamples)
        print("course bench: \(Engine.threadCount) threads; sgemm \(gemmSize)^3 median \(fmt(sgemm)) GFLOP/s (samples: "
              + sgemmSamples.map { String(format: "%.0f", $0) }.joined(separator: ", ") + "; PyTorch machine: 200-217)")
        print("ratio > 1 means better than PyTorch (rates: kit / PyTorch; ms and MiB: PyTorch / kit);")
        print("at-ref = ratio x \(Int(Self.referenceSGEMM)) / this run's median sgemm: the ratio on a machine as fast as PyTorch's (speeds only)")
        print(pad("name", 28) + pad("kit", 10) + pad("unit", 9) + pad("PyTorch", 9) + pad("ratio", 8) + pad("at-ref", 8) + pad("sgemm", 7) + "note")
        for (m, sample) in rows {
            let adjusted = m.unit == "MiB" ? "-" : String(format: "%.2fx", Self.ratio(m) * Self.referenceSGEMM / sgemm)
            print(pad(m.name, 28) + pad(fmt(m.value), 10) + pad(m.unit, 9) + pad(fmt(m.reference), 9)
                  + pad(String(format: "%.2fx", Self.ratio(m)), 8) + pad(adjusted, 8) + pad(String(format: "%.0f", sample), 7) + m.note)
        }
        // Keys in the documented order (JSONEncoder does not keep declaration order).
        let results = rows.map { m, _ in
            "    {\"name\": \"\(m.name)\", \"value\": \(round3(m.value)), \"unit\": \"\(m.unit)\", \"reference\": \(round3(m.reference))}"
        }
        let text = "{\"sgemm_gflops\": \(round3(sgemm)), \"results\": [\n" + results.joined(separator: ",\n") + "\n]}\n"
        let url = URL(fileURLWithPath: output)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try writeAtomically(Data(text.utf8), to: url)
        if json { print(text, terminator: "") }
        print("wrote \(output)")
    }

    /// sgemm 2048^3 on the PyTorch reference machine (200-217 GFLOP/s), the midpoint.
    static let referenceSGEMM = 208.0

    static func ratio(_ m: Measured) -> Double {
        m.unit == "img/s" || m.unit == "GFLOP/s" ? m.value / m.reference : m.reference / m.value
    }

    /// GFLOP/s of one square product on all BLAS threads: the median of three after a warm-up.
    func sgemmGFLOPS(_ a: Tensor, _ b: Tensor) -> Double {
        let n = a.shape[0]
        let seconds = medianSeconds(repetitions: 3) { _ = withNoGrad { matmul(a, b) } }
        return 2 * Double(n * n * n) / seconds / 1e9
    }
}

private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
private func fmt(_ x: Double) -> String { x >= 100 ? String(format: "%.0f", x) : String(format: "%.1f", x) }
private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
