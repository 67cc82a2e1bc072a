// The training run the lessons' experiments share (Training.fit underneath): whole tensors in memory, one model,
// one optimiser, optionally a per-epoch schedule; every step and every epoch recorded.
import CNN
import Foundation
import Training

/// Images and labels held as one tensor, the form `Dataset.tensors(count:padding:replicate:)` returns.
public typealias LabelledTensors = (images: Tensor, labels: [Int])

/// What one training run leaves behind (Codable, so lessons cache it).
public struct TrainingRun: Codable, Sendable {
    public var name: String
    public var parameters: Int
    /// Training error (1 − top-1) of each step's own batch, measured before the update.
    public var stepError: [Double] = []
    /// Loss of each step's batch.
    public var stepLoss: [Double] = []
    /// Per epoch, in eval mode after the epoch: error and mean loss on the training tensors.
    public var trainError: [Double] = []
    public var trainLoss: [Double] = []
    /// Per epoch, in eval mode: error and mean loss on the test tensors.
    public var testError: [Double] = []
    public var testLoss: [Double] = []
    /// Learning rate of the first group during each epoch.
    public var learningRates: [Double] = []
    /// Epochs (0-based) after which the scheduler changed the rate.
    public var rateChanges: [Int] = []
    /// Wall-clock seconds of the whole run (training and evaluation).
    public var seconds: Double = 0

    public init(name: String, parameters: Int) { self.name = name; self.parameters = parameters }
}

/// How to train: batch size, epochs, the optimiser (built for the model) and an optional
/// per-epoch scheduler (built for the optimiser; stepped with the test loss as its metric).
public struct Recipe {
    public var epochs: Int
    public var batchSize: Int
    public var makeOptimizer: (Module) -> Optimizer
    public var makeScheduler: ((Optimizer) -> LearningRateScheduler)?
    /// Images per evaluation batch.
    public var evaluationBatchSize: Int = 500
    /// Evaluate the training error on at most this many training images (nil: all).
    public var trainEvaluationCount: Int?

    public init(epochs: Int, batchSize: Int = 128, optimizer: @escaping (Module) -> Optimizer,
                scheduler: ((Optimizer) -> LearningRateScheduler)? = nil) {
        self.epochs = epochs; self.batchSize = batchSize; self.makeOptimizer = optimizer; self.makeScheduler = scheduler
    }

    /// AlexNet's recipe: SGD in the slide's momentum form, momentum 0.9, weight decay 5e-4, batch 128.
    public static func alexNet(epochs: Int, learningRate: Float) -> Recipe {
        Recipe(epochs: epochs) { SGD(model: $0, learningRate: learningRate, momentum: 0.9, weightDecay: 5e-4, form: .slide) }
    }
}

/// Trains `model` on `train` with `recipe`, seeded by `seed` (shuffling, dropout, all engine
/// randomness inside), and records every step and every epoch.
public func trainRun(_ name: String, _ model: Module, on train: LabelledTensors, test: LabelledTensors,
                  recipe: Recipe, seed: UInt64) -> TrainingRun {
    precondition(recipe.epochs >= 0, "trainRun(\(name)): epochs \(recipe.epochs) must be >= 0")
    precondition(train.images.shape.first == train.labels.count,
                 "trainRun(\(name)): \(train.images.shape.first ?? 0) training images but \(train.labels.count) labels")
    let optimizer = recipe.makeOptimizer(model)
    let scheduler = recipe.makeScheduler?(optimizer)
    let batches = TensorBatchSource(images: train.images, labels: train.labels, batchSize: recipe.batchSize, seed: seed)
    let testBatches = TensorBatchSource(images: test.images, labels: test.labels, batchSize: recipe.evaluationBatchSize, shuffle: false)
    let evalCount = min(recipe.trainEvaluationCount ?? train.labels.count, train.labels.count)
    let trainEval = TensorBatchSource(images: firstRows(train.images, evalCount),
                                      labels: Array(train.labels[..<evalCount]), batchSize: recipe.evaluationBatchSize, shuffle: false)
    let loss: (Tensor, [Int]) -> Tensor = { crossEntropy(logits: $0, labels: $1) }
    var run = TrainingRun(name: name, parameters: model.parameterCount)
    let start = Date()
    // Training.fit's loop (seeded stream, train mode, steps, test evaluation, scheduler on the
    // test loss); after each epoch the training subset is evaluated in eval mode too.
    let history: History
    do {
        history = try Training.fit(model: model, train: batches, test: testBatches, optimizer: optimizer, scheduler: scheduler,
                                   epochs: recipe.epochs, loss: loss, options: FitOptions(seed: seed, progress: .silent)) { record in
            let onTrain = Training.evaluate(model: model, on: trainEval, loss: loss)
            run.trainError.append(1 - onTrain.top1); run.trainLoss.append(onTrain.loss)
            return .continue
        }
    } catch {
        preconditionFailure("trainRun(\(name)): \(error)")   // fit throws only for checkpoint files, and none is given
    }
    for step in history.steps {
        run.stepLoss.append(Double(step.loss))
        run.stepError.append(step.error ?? .nan)
    }
    for epoch in history.epochs {
        run.learningRates.append(Double(epoch.learningRate))
        let test = epoch.test!
        run.testError.append(1 - test.top1); run.testLoss.append(test.loss)
        if !epoch.learningRateChanges.isEmpty { run.rateChanges.append(epoch.epoch) }
    }
    run.seconds = Date().timeIntervalSince(start)
    return run
}

/// The first `n` rows (items along axis 0) of `x`, as a copy (or `x` itself when n covers it).
public func firstRows(_ x: Tensor, _ n: Int) -> Tensor {
    precondition(x.rank >= 1 && n >= 0 && n <= x.shape[0], "firstRows: \(n) rows of a tensor of shape \(x.shape)")
    if n == x.shape[0] { return x }
    let row = x.shape.dropFirst().reduce(1, *)
    let y = Tensor(zeros: [n] + x.shape.dropFirst())
    x.withUnsafeBufferPointer { src in y.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: src.baseAddress!, count: n * row) } }
    return y
}

/// Mean of each consecutive window of `width` values (a smoothed step curve).
public func windowMeans(_ values: [Double], width: Int) -> [Double] {
    precondition(width >= 1, "windowMeans: width \(width) must be >= 1")
    return stride(from: 0, to: values.count - width + 1, by: width).map { values[$0..<($0 + width)].reduce(0, +) / Double(width) }
}

/// The first step (1-based) after which the windowed error is at most `target`, or nil.
public func stepsToReach(_ target: Double, in stepError: [Double], width: Int) -> Int? {
    windowMeans(stepError, width: width).firstIndex { $0 <= target }.map { ($0 + 1) * width }
}
