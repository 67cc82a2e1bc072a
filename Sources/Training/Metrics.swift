import CNN

/// Number of rows of `logits` [N, K] whose label is among the k highest scores.
///
/// Ties rank by class index, as `argmax` does: the label's rank is the number of classes with a
/// larger score plus the number of lower-indexed classes with an equal score. A constant output
/// therefore gets no credit it did not earn.
public func topKCorrect(logits: Tensor, labels: [Int], k: Int) -> Int {
    precondition(logits.rank == 2, "topKCorrect: logits must be [N, K], got \(logits.shape)")
    let (n, classes) = (logits.shape[0], logits.shape[1])
    precondition(labels.count == n, "topKCorrect: \(labels.count) labels for \(n) rows of logits")
    precondition(k >= 1, "topKCorrect: k = \(k) must be >= 1")
    return logits.withUnsafeBufferPointer { x in
        var correct = 0
        for row in 0..<n {
            let label = labels[row]
            precondition(label >= 0 && label < classes, "topKCorrect: label \(label) in row \(row) is outside 0..<\(classes)")
            let base = row * classes
            let score = x[base + label]
            var rank = 0
            for j in 0..<classes where x[base + j] > score || (x[base + j] == score && j < label) { rank += 1 }
            if rank < k { correct += 1 }
        }
        return correct
    }
}

/// Loss and accuracy over a pass (an epoch of training or an evaluation).
public struct Metrics: Codable, Equatable, Sendable {
    /// Mean loss per sample.
    public var loss: Double
    /// Fraction of samples whose label is the top-1 prediction.
    public var top1: Double
    /// Fraction whose label is among the top 5 (top K when there are fewer than 5 classes).
    public var top5: Double
    public var samples: Int
    /// 1 - top-1 (the papers quote error rates).
    public var errorRate: Double { 1 - top1 }
    /// 1 - top-5.
    public var top5ErrorRate: Double { 1 - top5 }

    public init(loss: Double, top1: Double, top5: Double, samples: Int) {
        self.loss = loss; self.top1 = top1; self.top5 = top5; self.samples = samples
    }
}

/// Accumulates per-batch losses (weighted by batch size) and top-1/top-5 hits.
public struct MetricAccumulator: Sendable {
    public private(set) var lossSum: Double = 0
    public private(set) var samples = 0
    public private(set) var top1Correct = 0
    public private(set) var top5Correct = 0

    public init() {}

    /// Adds a batch: `loss` is the batch's mean loss.
    public mutating func add(logits: Tensor, labels: [Int], loss: Float) {
        let n = labels.count
        lossSum += Double(loss) * Double(n)
        samples += n
        top1Correct += topKCorrect(logits: logits, labels: labels, k: 1)
        top5Correct += topKCorrect(logits: logits, labels: labels, k: min(5, logits.shape[1]))
    }

    /// The mean loss so far (0 before any batch).
    public var meanLoss: Double { samples == 0 ? 0 : lossSum / Double(samples) }

    public var metrics: Metrics {
        let n = Double(max(samples, 1))
        return Metrics(loss: meanLoss, top1: Double(top1Correct) / n, top5: Double(top5Correct) / n, samples: samples)
    }
}

/// The training loop and its helpers (`Training.fit`, `Training.evaluate`).
public enum Training {
    /// Loss and accuracy of `model` over every batch of `source` (epoch 0's order), in eval mode
    /// and without recording a graph. The model's mode is restored afterwards.
    public static func evaluate(model: Module, on source: any BatchSource,
                                loss: (Tensor, [Int]) -> Tensor) -> Metrics {
        let wasTraining = model.isTraining
        model.eval()
        defer { if wasTraining { model.train() } }
        var acc = MetricAccumulator()
        withNoGrad {
            for (x, y) in source.batches(epoch: 0) {
                let logits = model(x)
                acc.add(logits: logits, labels: y, loss: loss(logits, y).item())
            }
        }
        return acc.metrics
    }
}
