import ArgumentParser
import CNN
import Foundation
import Training

/// `course bench train`: training throughput (images per second) of full steps — forward,
/// backward and an SGD-momentum update — at batch 128, with the same run's sgemm GFLOP/s so
/// that figures from different machines can be compared.
///
/// Register it in the `bench` parent command's `subcommands`.
struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training throughput (img/s, forward + backward + SGD-momentum step) and same-run sgemm GFLOP/s."
    )

    @Option(help: "Batch size.") var batch = 128
    @Option(help: "Timed steps per model.") var steps = 20
    @Option(help: "Untimed warm-up steps per model.") var warmup = 3
    @Option(help: "Only models whose name contains this text.") var only: String?

    /// A network to time: its input shape (without the batch), class count, and constructor.
    struct Workload: Sendable {
        let name: String
        let input: [Int]
        let classes: Int
        /// PyTorch 2.x CPU on a 2-core machine of the reference class, img/s (nil: not measured).
        let pytorchImagesPerSecond: Double?
        let make: @Sendable () -> Module
    }

    /// The timed networks. LeNet-5 (1x28x28: PyTorch 12,700 img/s), CIFAR ResNet-20 (450) and its
    /// plain twin (500) join this list from the zoo once the convolution layers are in the engine.
    static let workloads: [Workload] = [
        Workload(name: "LeNet-300-100 (MLP)", input: [1, 28, 28], classes: 10, pytorchImagesPerSecond: nil) {
            Sequential(Flatten(), Linear(inputFeatures: 784, outputFeatures: 300), ReLU(),
                       Linear(inputFeatures: 300, outputFeatures: 100), ReLU(), Linear(inputFeatures: 100, outputFeatures: 10))
        },
    ]

    func validate() throws {
        guard batch > 0, steps > 0, warmup >= 0 else { throw ValidationError("--batch and --steps must be positive, --warmup >= 0") }
    }

    func run() throws {
        print("course bench train: batch \(batch), forward + backward + SGD(momentum 0.9) step, \(steps) timed steps after \(warmup) warm-up, \(Engine.threadCount) threads")
        print(String(format: "sgemm 1024x1024x1024: %.1f GFLOP/s (this run)", Self.sgemmGFLOPS(size: 1024)))
        print("model                      input       params    img/s   ms/step   PyTorch   ratio")
        for w in Self.workloads where only.map({ w.name.localizedCaseInsensitiveContains($0) }) ?? true {
            let r = Self.measure(w, batch: batch, steps: steps, warmup: warmup)
            let reference = w.pytorchImagesPerSecond.map { ProgressBar.grouped(Int($0)) } ?? "-"
            let ratio = w.pytorchImagesPerSecond.map { String(format: "%.2fx", r.imagesPerSecond / $0) } ?? "-"
            print(w.name.padding(toLength: 26, withPad: " ", startingAt: 0),
                  w.input.map(String.init).joined(separator: "x").padding(toLength: 10, withPad: " ", startingAt: 0),
                  ProgressBar.grouped(r.parameters).leftPadded(8),
                  ProgressBar.grouped(Int(r.imagesPerSecond.rounded())).leftPadded(8),
                  String(format: "%.2f", r.secondsPerStep * 1000).leftPadded(9),
                  reference.leftPadded(9), ratio.leftPadded(7))
        }
    }

    /// Times `steps` full training steps on random images. The loss is the squared error against
    /// one-hot targets (cross-entropy has the same cost profile: one [N, K] pass).
    static func measure(_ w: Workload, batch: Int, steps: Int, warmup: Int) -> (imagesPerSecond: Double, secondsPerStep: Double, parameters: Int) {
        Random.seed(0)
        let model = w.make()
        let optimizer = SGD(model: model, learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4)
        let x = Tensor.randomNormal([batch] + w.input, seed: 1)
        let labels = (0..<batch).map { $0 % w.classes }
        let targets = smoothedTargets(labels: labels, classes: w.classes, epsilon: 0)
        func step() {
            model.zeroGrad()
            mseLoss(model(x), targets).backward()
            optimizer.step()
        }
        for _ in 0..<warmup { step() }
        let clock = ContinuousClock()
        let elapsed = clock.measure { for _ in 0..<steps { step() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (Double(batch * steps) / seconds, seconds / Double(steps), model.parameterCount)
    }

    /// 2·n³ flops of a square sgemm, best of three.
    static func sgemmGFLOPS(size n: Int) -> Double {
        let a = Tensor.randomUniform([n, n], seed: 1), b = Tensor.randomUniform([n, n], seed: 2), c = Tensor(zeros: [n, n])
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<3 {
            let d = clock.measure {
                sgemm(m: n, n: n, k: n, a: a.storage.base, lda: n, b: b.storage.base, ldb: n, c: c.storage.base, ldc: n)
            }
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
