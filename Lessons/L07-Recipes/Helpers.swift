// The lesson's small network, the label-smoothing run (the shared `trainRun` always uses plain
// cross-entropy) and the measurements the lesson reads off trained models.
import CNN
import Foundation
import LessonKit
import Training

/// Which normalisation follows each convolution of the small network.
enum Normalization: String, Codable, CaseIterable {
    /// conv → ReLU.
    case none
    /// conv → BN → ReLU (Inception-v2 puts BN before the non-linearity).
    case batchNorm
    /// conv → ReLU → LRN (AlexNet's order), Krizhevsky's constants k = 2, n = 5, α = 1e-4, β = 0.75.
    case lrn
}

/// The lesson's CNN for 1×28×28 images: two conv stages (3x3, padding 1, then 2x2 max pool) with
/// `width` and `2·width` channels, then a hidden linear layer and the 10-way classifier.
/// Dropout (if `dropout > 0`) sits before each linear layer that follows a ReLU, as in AlexNet.
///
///     [N, 1, 28, 28] → [N, w, 14, 14] → [N, 2w, 7, 7] → [N, hidden] → [N, 10]
func smallCNN(width: Int = 16, hidden: Int = 128, normalization: Normalization = .none, dropout: Float = 0) -> Sequential {
    func stage(_ cin: Int, _ cout: Int) -> [Module] {
        let conv = Conv2D(inputChannels: cin, outputChannels: cout, kernelSize: 3, padding: 1)
        switch normalization {
        case .none: return [conv, ReLU(), MaxPool2D(kernelSize: 2, stride: 2)]
        case .batchNorm: return [conv, BatchNorm2D(cout), ReLU(), MaxPool2D(kernelSize: 2, stride: 2)]
        case .lrn: return [conv, ReLU(), LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky),
                           MaxPool2D(kernelSize: 2, stride: 2)]
        }
    }
    var layers = stage(1, width) + stage(width, 2 * width) + [Flatten()]
    if dropout > 0 { layers.append(Dropout(probability: dropout)) }
    layers += [Linear(inputFeatures: 2 * width * 7 * 7, outputFeatures: hidden), ReLU()]
    if dropout > 0 { layers.append(Dropout(probability: dropout)) }
    layers.append(Linear(inputFeatures: hidden, outputFeatures: 10))
    return Sequential(layers)
}

/// The L2 norm of the weights of rank >= 2 (conv kernels and linear matrices), the part weight
/// decay pulls towards zero: ‖W‖ = √(Σ w²).
func weightNorm(_ model: Module) -> Double {
    let squares = model.namedParameters().filter { $0.tensor.rank >= 2 }
        .map { $0.tensor.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } }
    return squares.reduce(0, +).squareRoot()
}

/// A training run with a label-smoothed loss, and the largest softmax probability of every test image.
struct SmoothedRun: Codable {
    var run: TrainingRun
    /// max_k softmax(logits)[k] per test image, in eval mode after training.
    var confidence: [Double]
}

/// Trains like `trainRun` but with `crossEntropy(logits:labels:labelSmoothing: epsilon)` (PyTorch's
/// convention: the true class gets 1 − ε + ε/K); evaluation reports the plain cross-entropy.
func trainSmoothed(_ name: String, _ model: Module, on train: LabelledTensors, test: LabelledTensors,
                   epochs: Int, batchSize: Int, learningRate: Float, epsilon: Float, seed: UInt64) -> SmoothedRun {
    precondition(epochs >= 1, "trainSmoothed(\(name)): epochs \(epochs) must be >= 1")
    let optimizer = SGD(model: model, learningRate: learningRate, momentum: 0.9)
    let batches = TensorBatchSource(images: train.images, labels: train.labels, batchSize: batchSize, seed: seed)
    let testBatches = TensorBatchSource(images: test.images, labels: test.labels, batchSize: 500, shuffle: false)
    let plain: (Tensor, [Int]) -> Tensor = { crossEntropy(logits: $0, labels: $1) }
    var run = TrainingRun(name: name, parameters: model.parameterCount)
    var confidence: [Double] = []
    let start = Date()
    Random.using(RandomStream(seed: seed)) {
        for epoch in 0..<epochs {
            run.learningRates.append(Double(learningRate))
            model.train()
            for (x, y) in batches.batches(epoch: epoch) {
                optimizer.zeroGrad()
                let logits = model(x)
                let l = crossEntropy(logits: logits, labels: y, labelSmoothing: epsilon)
                l.backward()
                optimizer.step()
                run.stepLoss.append(Double(l.item()))
                run.stepError.append(1 - Double(topKCorrect(logits: logits, labels: y, k: 1)) / Double(y.count))
            }
            let onTest = Training.evaluate(model: model, on: testBatches, loss: plain)
            run.testError.append(1 - onTest.top1); run.testLoss.append(onTest.loss)
        }
        model.eval()
        withNoGrad {
            for (x, _) in testBatches.batches(epoch: 0) {
                let p = softmax(model(x))                       // [n, 10]
                let k = p.shape[1], values = p.scalars
                for row in 0..<p.shape[0] { confidence.append(Double(values[(row * k)..<((row + 1) * k)].max()!)) }
            }
        }
    }
    run.seconds = Date().timeIntervalSince(start)
    return SmoothedRun(run: run, confidence: confidence)
}

/// Counts of `values` in `bins` equal bins over [lo, hi] (the last bin includes hi), as fractions.
func histogram(_ values: [Double], bins: Int, lo: Double, hi: Double) -> [Double] {
    precondition(bins >= 1 && hi > lo && !values.isEmpty, "histogram: \(bins) bins over [\(lo), \(hi)] of \(values.count) values")
    var counts = [Double](repeating: 0, count: bins)
    for v in values where v >= lo && v <= hi { counts[min(bins - 1, Int((v - lo) / (hi - lo) * Double(bins)))] += 1 }
    return counts.map { $0 / Double(values.count) }
}

/// The mean of `values`.
func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

/// The ratio of two step counts as a display string ("2.5×"), or "—" when either is missing.
func ratio(_ a: Int?, _ b: Int?) -> String {
    guard let a, let b, b > 0 else { return "—" }
    return String(format: "%.1f×", Double(a) / Double(b))
}
