import CNN
import Foundation

/// What `Training.fit` watches for `ReduceLROnPlateau` (and reports as "the" metric).
public enum Monitor: String, Codable, Sendable {
    case trainLoss, testLoss, testTop1

    /// The monitored value of an epoch (test metrics fall back to training ones without a test set).
    public func value(of record: EpochRecord) -> Double {
        switch self {
        case .trainLoss: return record.train.loss
        case .testLoss: return (record.test ?? record.train).loss
        case .testTop1: return (record.test ?? record.train).top1
        }
    }
}

/// A per-epoch callback's verdict.
public enum EpochAction: Sendable { case `continue`, stop }

/// Options of `Training.fit` beyond the model, data, optimiser and epochs.
public struct FitOptions {
    /// Seed of the run's own random stream (dropout masks, noise, augmentation drawn through
    /// `Random`); the stream is saved in checkpoints.
    public var seed: UInt64
    /// Where to write the checkpoint (after every `checkpointEvery` epochs and after the last).
    public var checkpoint: URL?
    public var checkpointEvery: Int
    /// Continue from `checkpoint` when the file exists.
    public var resume: Bool
    /// Where to write the history JSON after every epoch.
    public var history: URL?
    public var progress: ProgressBar.Mode
    /// The value handed to the scheduler (ReduceLROnPlateau) at the end of each epoch.
    public var monitor: Monitor
    /// Keep a `StepRecord` per optimiser step.
    public var recordSteps: Bool

    public init(seed: UInt64 = 0, checkpoint: URL? = nil, checkpointEvery: Int = 1, resume: Bool = true, history: URL? = nil,
                progress: ProgressBar.Mode = .automatic, monitor: Monitor = .testLoss, recordSteps: Bool = true) {
        precondition(checkpointEvery >= 1, "FitOptions: checkpointEvery \(checkpointEvery) must be >= 1")
        self.seed = seed; self.checkpoint = checkpoint; self.checkpointEvery = checkpointEvery; self.resume = resume
        self.history = history; self.progress = progress; self.monitor = monitor; self.recordSteps = recordSteps
    }
}

extension Training {
    /// Trains `model` for `epochs` epochs (counting from 0; a resumed run continues at the
    /// checkpoint's epoch) and returns the history.
    ///
    /// Each epoch: train mode; for every batch of `train.batches(epoch:)`: zero the gradients,
    /// forward, `loss(logits, labels)` (a batch mean), backward, `optimizer.step()`; then eval
    /// mode on `test`; then `scheduler.step(metric:)` with `options.monitor`; then the
    /// checkpoint, the history file and `onEpochEnd`, which may stop the run.
    ///
    ///     let history = try Training.fit(model: net, train: trainBatches, test: testBatches,
    ///                                    optimizer: SGD(model: net, learningRate: 0.01, momentum: 0.9),
    ///                                    schedule: .stepEvery(8, gamma: 0.96, base: 0.01), epochs: 10,
    ///                                    loss: { crossEntropy(logits: $0, labels: $1) })
    @discardableResult
    public static func fit(model: Module, train: any BatchSource, test: (any BatchSource)? = nil,
                           optimizer: Optimizer, scheduler: LearningRateScheduler? = nil, epochs: Int,
                           loss: (Tensor, [Int]) -> Tensor, options: FitOptions = FitOptions(),
                           onEpochEnd: (EpochRecord) -> EpochAction = { _ in .continue }) throws -> History {
        precondition(epochs >= 0, "Training.fit: epochs \(epochs) must be >= 0")
        let stream = RandomStream(seed: options.seed)
        var history = History()
        var firstEpoch = 0
        if options.resume, let url = options.checkpoint, FileManager.default.fileExists(atPath: url.path) {
            let saved = try TrainingCheckpoint.read(from: url)
            try saved.restoreModel(model, file: "checkpoint '\(url.path)'")
            do { try optimizer.load(saved.optimizer) } catch {
                throw TrainingError("checkpoint '\(url.path)': \(error)")
            }
            switch (scheduler, saved.schedulerState) {
            case let (s?, data?): try s.loadState(data)
            case (nil, nil): break
            case (_?, nil): throw TrainingError("checkpoint '\(url.path)' has no scheduler state, but a scheduler was given")
            case (nil, _?): throw TrainingError("checkpoint '\(url.path)' holds scheduler state, but no scheduler was given")
            }
            stream.state = saved.randomState
            history = saved.history
            firstEpoch = saved.epochsCompleted
        }
        let progress = ProgressBar(mode: options.progress)
        try Random.using(stream) {
            for epoch in firstEpoch..<max(epochs, firstEpoch) {
                let record = runEpoch(epoch, of: epochs, model: model, train: train, test: test, optimizer: optimizer,
                                      scheduler: scheduler, loss: loss, options: options, progress: progress, history: &history)
                let last = epoch == epochs - 1
                let action = onEpochEnd(record)
                if let url = options.checkpoint, (epoch + 1) % options.checkpointEvery == 0 || last || action == .stop {
                    try TrainingCheckpoint(epochsCompleted: epoch + 1, model: model.stateDict(), optimizer: optimizer.stateDict(),
                                           schedulerState: try scheduler?.stateData(), randomState: stream.state,
                                           history: history).write(to: url)
                }
                if let url = options.history { try history.write(to: url) }
                if action == .stop { break }
            }
        }
        return history
    }

    /// `fit` driven by an `LRSchedule` (a `ScheduledLR` over `optimizer`).
    @discardableResult
    public static func fit(model: Module, train: any BatchSource, test: (any BatchSource)? = nil,
                           optimizer: Optimizer, schedule: LRSchedule, epochs: Int,
                           loss: (Tensor, [Int]) -> Tensor, options: FitOptions = FitOptions(),
                           onEpochEnd: (EpochRecord) -> EpochAction = { _ in .continue }) throws -> History {
        try fit(model: model, train: train, test: test, optimizer: optimizer, scheduler: ScheduledLR(optimizer, schedule),
                epochs: epochs, loss: loss, options: options, onEpochEnd: onEpochEnd)
    }

    static func runEpoch(_ epoch: Int, of epochs: Int, model: Module, train: any BatchSource, test: (any BatchSource)?,
                         optimizer: Optimizer, scheduler: LearningRateScheduler?, loss: (Tensor, [Int]) -> Tensor,
                         options: FitOptions, progress: ProgressBar, history: inout History) -> EpochRecord {
        let start = Date()
        let rate = optimizer.learningRate
        model.train()
        progress.begin("epoch \(epoch + 1)/\(epochs)", total: train.batchCount)
        var metrics = MetricAccumulator()
        var step = 0
        for (x, y) in train.batches(epoch: epoch) {
            model.zeroGrad()
            let logits = model(x)
            let l = loss(logits, y)
            l.backward()
            optimizer.step()
            let value = l.item()
            metrics.add(logits: logits, labels: y, loss: value)
            if options.recordSteps {
                let error = 1 - Double(topKCorrect(logits: logits, labels: y, k: 1)) / Double(y.count)
                history.steps.append(StepRecord(epoch: epoch, step: step, loss: value, learningRate: optimizer.learningRate, error: error))
            }
            step += 1
            progress.update(step: step, samples: metrics.samples, loss: metrics.meanLoss)
        }
        let trainSeconds = Date().timeIntervalSince(start)
        let testMetrics = test.map { evaluate(model: model, on: $0, loss: loss) }
        var record = EpochRecord(epoch: epoch, learningRate: rate, train: metrics.metrics, test: testMetrics,
                                 seconds: Date().timeIntervalSince(start),
                                 samplesPerSecond: trainSeconds > 0 ? Double(metrics.samples) / trainSeconds : 0,
                                 learningRateChanges: [])
        if let scheduler {
            record.learningRateChanges = scheduler.step(metric: options.monitor.value(of: record))
        }
        history.epochs.append(record)
        progress.finish(summary(record, of: epochs))
        return record
    }

    /// "epoch 3/10  lr 0.01  train loss 0.4312 acc 84.52%  test loss 0.4521 acc 83.90%  5,120 img/s  12.3 s"
    public static func summary(_ r: EpochRecord, of epochs: Int) -> String {
        func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
        var s = "epoch \(r.epoch + 1)/\(epochs)  lr \(formatFloat(r.learningRate))  train loss \(String(format: "%.4f", r.train.loss)) acc \(pct(r.train.top1))"
        if let t = r.test { s += "  test loss \(String(format: "%.4f", t.loss)) acc \(pct(t.top1)) top-5 \(pct(t.top5))" }
        s += "  \(ProgressBar.grouped(Int(r.samplesPerSecond.rounded()))) img/s  \(String(format: "%.1f", r.seconds)) s"
        for e in r.learningRateChanges { s += "\n  lr \(e)" }
        return s
    }
}
