// Data loading and the small training loop shared by the experiments of this lesson.
import CNN
import Datasets
import Foundation
import Training

/// The first `count` images of a Fashion-MNIST split as one tensor [count, 1, 28, 28] with labels
/// (the files are already shuffled, so a prefix is a fair subset).
func fashionTensors(_ split: Split, count: Int) throws -> (images: Tensor, labels: [Int]) {
    let data = try FashionMNIST.load(split)
    let n = min(count, data.count)
    let x = Tensor(zeros: [n, 1, 28, 28])
    x.withUnsafeMutableBufferPointer { p in
        for i in 0..<n { data.copyImage(i, into: p.baseAddress! + i * 784) }
    }
    return (x, (0..<n).map { data.label($0) })
}

/// What one training run leaves behind: per-step batch error, per-epoch errors, wall time.
struct TrainingRun: Codable {
    var name: String
    var parameters: Int
    var stepError: [Double]
    var trainError: [Double]
    var testError: [Double]
    var seconds: Double
}

/// Trains `model` with AlexNet's recipe (SGD with the slide's momentum form, momentum 0.9,
/// weight decay 5e-4, batch 128) and records the batch error of every step.
func trainRecipe(_ name: String, _ model: Module, train: (images: Tensor, labels: [Int]),
                 test: (images: Tensor, labels: [Int]), epochs: Int, learningRate: Float, seed: UInt64) -> TrainingRun {
    let optimizer = SGD(model: model, learningRate: learningRate, momentum: 0.9, weightDecay: 5e-4, form: .slide)
    let batches = TensorBatchSource(images: train.images, labels: train.labels, batchSize: 128, seed: seed)
    let testBatches = TensorBatchSource(images: test.images, labels: test.labels, batchSize: 500, shuffle: false)
    let trainEval = TensorBatchSource(images: train.images, labels: train.labels, batchSize: 500, shuffle: false)
    let loss: (Tensor, [Int]) -> Tensor = { crossEntropy(logits: $0, labels: $1) }
    var run = TrainingRun(name: name, parameters: model.parameterCount, stepError: [], trainError: [], testError: [], seconds: 0)
    let start = Date()
    Random.using(RandomStream(seed: seed)) {
        for epoch in 0..<epochs {
            model.train()
            for (x, y) in batches.batches(epoch: epoch) {
                model.zeroGrad()
                let logits = model(x)
                loss(logits, y).backward()
                optimizer.step()
                run.stepError.append(1 - Double(topKCorrect(logits: logits, labels: y, k: 1)) / Double(y.count))
            }
            run.trainError.append(1 - Training.evaluate(model: model, on: trainEval, loss: loss).top1)
            run.testError.append(1 - Training.evaluate(model: model, on: testBatches, loss: loss).top1)
        }
    }
    run.seconds = Date().timeIntervalSince(start)
    return run
}

/// Mean of each consecutive window of `width` values (a smoothed step curve).
func windowMeans(_ values: [Double], width: Int) -> [Double] {
    stride(from: 0, to: values.count - width + 1, by: width).map { values[$0..<($0 + width)].reduce(0, +) / Double(width) }
}

/// The first step (1-based) after which the windowed error is at most `target`, or nil.
func stepsToReach(_ target: Double, in stepError: [Double], width: Int) -> Int? {
    windowMeans(stepError, width: width).firstIndex { $0 <= target }.map { ($0 + 1) * width }
}
