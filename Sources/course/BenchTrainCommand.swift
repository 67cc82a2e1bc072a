import ArgumentParser
import CNN
import Foundation
import Training
import Zoo

/// `course bench train`: training throughput (images per second) of full steps — forward,
/// cross-entropy, backward and an SGD-momentum update — at batch 128, next to the same run's
/// sgemm GFLOP/s and PyTorch's figure on a machine of the same class.
///
/// Each model is timed in `repetitions` blocks of `steps` steps after `warmup` untimed steps;
/// the reported rate is the median block. sgemm is timed between the models and its median
/// reported, so a busy machine shows up in both numbers.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput (img/s, forward + backward + SGD-momentum step) and same-run sgemm GFLOP/s.",
        discussion: """
        PyTorch reference: PyTorch 2.x on 2 CPU cores of the same class (LeNet-5 12,700, \
        CIFAR ResNet-20 450, plain-20 500 img/s). Random inputs, cross-entropy loss, \
        SGD(lr 0.01, momentum 0.9, weight decay 5e-4).
        """
    )

    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Steps per timed repetition.") var steps = 5
    @Option(help: "Timed repetitions per model (the median is reported).") var repetitions = 5
    @Option(help: "Untimed warm-up steps per model.") var warmup = 3
    @Option(help: "Only models whose name contains this text.") var only: String?
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Option(help: "3x3 stride-1 convolutions: auto, always (direct kernel where it applies) or never (im2col + GEMM).")
    var direct: DirectConvolution = .automatic
    @Option(help: "3x3 stride-1 convolutions that do not take the direct kernel: auto (Winograd F(2x2, 3x3) where it pays), always (wherever it applies) or never.")
    var winograd: WinogradConvolution = .automatic

    /// A network to time: its input shape (without the batch), class count, and constructor.
    struct Workload: Sendable {
        let name: String
        let input: [Int]
        let classes: Int
        /// PyTorch 2.x CPU on a 2-core machine of the reference class, img/s (nil: not measured).
        let pytorchImagesPerSecond: Double?
        let make: @Sendable () -> Module
    }

    static let workloads: [Workload] = [
        Workload(name: "LeNet-5", input: [1, 28, 28], classes: 10, pytorchImagesPerSecond: 12_700) { LeNet5(variant: .classic) },
        Workload(name: "CIFAR ResNet-20", input: [3, 32, 32], classes: 10, pytorchImagesPerSecond: 450) { CIFARResNet(depth: 20) },
        Workload(name: "CIFAR plain-20", input: [3, 32, 32], classes: 10, pytorchImagesPerSecond: 500) {
            CIFARResNet(depth: 20, shortcut: .none)
        },
        Workload(name: "LeNet-300-100 (MLP)", input: [1, 28, 28], classes: 10, pytorchImagesPerSecond: nil) {
            Sequential(Flatten(), Linear(inputFeatures: 784, outputFeatures: 300), ReLU(),
                       Linear(inputFeatures: 300, outputFeatures: 100), ReLU(), Linear(inputFeatures: 100, outputFeatures: 10))
        },
    ]

    struct Result: Encodable {
        let model: String
        let input: [Int]
        let parameters: Int
        let imagesPerSecond: Double
        let millisecondsPerStep: Double
        let pytorchImagesPerSecond: Double?
        let ratio: Double?
        /// `ratio` scaled by referenceSGEMM / this run's sgemm: an estimate for a quiet machine.
        var sgemmAdjustedRatio: Double?
    }

    /// sgemm 1024^3 on an idle 2-core machine of the reference class (OpenBLAS, both cores), GFLOP/s.
    static let referenceSGEMM = 200.0

    func validate() throws {
        guard batch > 0, steps > 0, repetitions > 0, warmup >= 0 else {
            throw ValidationError("--batch, --steps and --repetitions must be positive, --warmup >= 0")
        }
        if let only, !Self.workloads.contains(where: { $0.name.localizedCaseInsensitiveContains(only) }) {
            throw ValidationError("no model matches '\(only)'; the models are \(Self.workloads.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        ConvSettings.direct = direct
        ConvSettings.winograd = winograd
        let a = Tensor.randomNormal([1024, 1024], seed: 1), b = Tensor.randomNormal([1024, 1024], seed: 2)
        var sgemmSamples = [Self.sgemmGFLOPS(a, b)]
        var results: [Result] = []
        for w in Self.workloads where only.map({ w.name.localizedCaseInsensitiveContains($0) }) ?? true {
            let r = Self.measure(w, batch: batch, steps: steps, repetitions: repetitions, warmup: warmup)
            results.append(Result(model: w.name, input: w.input, parameters: r.parameters, imagesPerSecond: r.imagesPerSecond,
                                  millisecondsPerStep: 1000 / r.imagesPerSecond * Double(batch),
                                  pytorchImagesPerSecond: w.pytorchImagesPerSecond,
                                  ratio: w.pytorchImagesPerSecond.map { r.imagesPerSecond / $0 }))
            sgemmSamples.append(Self.sgemmGFLOPS(a, b))
        }
        let sgemm = median(sgemmSamples)
        for i in results.indices { results[i].sgemmAdjustedRatio = results[i].ratio.map { $0 * Self.referenceSGEMM / sgemm } }
        if json {
            struct Report: Encodable {
                let batch, threads, steps, repetitions, warmup: Int
                let sgemmGFLOPS: Double
                let models: [Result]
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let report = Report(batch: batch, threads: Engine.threadCount, steps: steps, repetitions: repetitions,
                                warmup: warmup, sgemmGFLOPS: sgemm, models: results)
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        print("course bench train: batch \(batch), forward + cross-entropy + backward + SGD(momentum 0.9) step, \(Engine.threadCount) threads")
        print("median of \(repetitions) repetitions of \(steps) steps after \(warmup) warm-up steps")
        print(String(format: "sgemm 1024^3: %.1f GFLOP/s (median of samples between the models: %@)", sgemm,
                     sgemmSamples.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
        print("ratio = img/s / PyTorch's; adjusted = ratio x \(Int(Self.referenceSGEMM)) / this run's sgemm (an estimate for an idle machine)")
        print("model                      input       params    img/s   ms/step   PyTorch   ratio  adjusted")
        for r in results {
            print(r.model.padding(toLength: 26, withPad: " ", startingAt: 0),
                  r.input.map(String.init).joined(separator: "x").padding(toLength: 10, withPad: " ", startingAt: 0),
                  ProgressBar.grouped(r.parameters).leftPadded(8),
                  ProgressBar.grouped(Int(r.imagesPerSecond.rounded())).leftPadded(8),
                  String(format: "%.2f", r.millisecondsPerStep).leftPadded(9),
                  (r.pytorchImagesPerSecond.map { ProgressBar.grouped(Int($0)) } ?? "-").leftPadded(9),
                  (r.ratio.map { String(format: "%.2fx", $0) } ?? "-").leftPadded(7),
                  (r.sgemmAdjustedRatio.map { String(format: "%.2fx", $0) } ?? "-").leftPadded(9))
        }
    }

    /// Times full training steps on random images with cross-entropy against fixed labels:
    /// the median over `repetitions` blocks of `steps` steps, in images per second.
    static func measure(_ w: Workload, batch: Int, steps: Int, repetitions: Int, warmup: Int)
        -> (imagesPerSecond: Double, parameters: Int) {
        Random.seed(0)
        let model = w.make()
        model.train()
        let optimizer = SGD(model: model, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
        let x = Tensor.randomNormal([batch] + w.input, seed: 1)
        let labels = (0..<batch).map { $0 % w.classes }
        func step() {
            model.zeroGrad()
            crossEntropy(logits: model(x), labels: labels).backward()
            optimizer.step()
        }
        for _ in 0..<warmup { step() }
        let seconds = medianSeconds(repetitions: repetitions, warmup: false) { for _ in 0..<steps { step() } }
        return (Double(batch * steps) / seconds, model.parameterCount)
    }

    /// 2·n³ flops of a square sgemm (BLAS on all its threads), median of three after a warm-up.
    static func sgemmGFLOPS(_ a: Tensor, _ b: Tensor) -> Double {
        let n = a.shape[0]
        let seconds = medianSeconds(repetitions: 3) { _ = withNoGrad { matmul(a, b) } }
        return 2 * Double(n * n * n) / seconds / 1e9
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
