import Foundation

/// `torch.optim.lr_scheduler.ReduceLROnPlateau`: multiply the rate by `factor` when the
/// monitored metric has not improved for more than `patience` epochs (VGG: x0.1 when the
/// validation accuracy stops improving).
///
/// PyTorch's rules, for each `step(metric)` (comparisons in Double):
///
///     better = mode min, rel:  m < best · (1 - threshold)      mode max, rel:  m > best · (1 + threshold)
///              mode min, abs:  m < best - threshold            mode max, abs:  m > best + threshold
///     if better { best = m; bad = 0 } else { bad += 1 }
///     if cooldown > 0 { cooldown -= 1; bad = 0 }          (epochs in cooldown never count as bad)
///     if bad > patience {
///         for each group: new = max(old · factor, minLR);  if old - new > eps { lr = new }
///         cooldown = cooldownEpochs; bad = 0
///     }
///
/// `best` starts at +∞ (min) or -∞ (max), so the first metric is always an improvement.
public final class ReduceLROnPlateau: LearningRateScheduler {
    public enum Mode: String, Codable, Sendable { case min, max }
    public enum ThresholdMode: String, Codable, Sendable { case relative = "rel", absolute = "abs" }

    /// The rule's hyper-parameters (PyTorch's defaults).
    public struct Configuration: Codable, Equatable, Sendable {
        public var mode: Mode = .min
        public var factor: Double = 0.1
        public var patience: Int = 10
        public var threshold: Double = 1e-4
        public var thresholdMode: ThresholdMode = .relative
        public var cooldown: Int = 0
        public var minLR: Double = 0
        public var eps: Double = 1e-8
        public init(mode: Mode = .min, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                    thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minLR: Double = 0, eps: Double = 1e-8) {
            precondition(factor < 1 && factor >= 0, "ReduceLROnPlateau: factor \(factor) must be in [0, 1)")
            precondition(patience >= 0 && cooldown >= 0, "ReduceLROnPlateau: patience \(patience) and cooldown \(cooldown) must be >= 0")
            self.mode = mode; self.factor = factor; self.patience = patience; self.threshold = threshold
            self.thresholdMode = thresholdMode; self.cooldown = cooldown; self.minLR = minLR; self.eps = eps
        }
    }

    /// The rule's memory between epochs.
    public struct Counters: Codable, Equatable, Sendable {
        public var best: Double
        public var badEpochs = 0
        public var cooldownLeft = 0
        public var epoch = 0
    }

    public let configuration: Configuration
    public let optimizer: Optimizer?
    public private(set) var counters: Counters
    public private(set) var events: [LRChangeEvent] = []
    /// Rates per group when there is no optimiser (`simulate`).
    private var detachedRates: [Double]

    public init(_ optimizer: Optimizer, _ configuration: Configuration = Configuration()) {
        self.optimizer = optimizer
        self.configuration = configuration
        self.counters = Counters(best: configuration.mode == .min ? .infinity : -.infinity)
        self.detachedRates = []
    }

    private init(rate: Float, _ configuration: Configuration) {
        self.optimizer = nil
        self.configuration = configuration
        self.counters = Counters(best: configuration.mode == .min ? .infinity : -.infinity)
        self.detachedRates = [Double(rate)]
    }

    public var epoch: Int { counters.epoch }
    public var needsMetric: Bool { true }

    /// Whether `metric` improves on the best so far, by PyTorch's threshold rule.
    public func isBetter(_ metric: Double, than best: Double) -> Bool {
        let t = configuration.threshold
        switch (configuration.mode, configuration.thresholdMode) {
        case (.min, .relative): return metric < best * (1 - t)
        case (.min, .absolute): return metric < best - t
        case (.max, .relative): return metric > best * (t + 1)
        case (.max, .absolute): return metric > best + t
        }
    }

    @discardableResult
    public func step(metric: Double?) -> [LRChangeEvent] {
        guard let m = metric else { preconditionFailure("ReduceLROnPlateau.step: needs the monitored metric, got nil") }
        counters.epoch += 1
        if isBetter(m, than: counters.best) {
            counters.best = m
            counters.badEpochs = 0
        } else {
            counters.badEpochs += 1
        }
        if counters.cooldownLeft > 0 {
            counters.cooldownLeft -= 1
            counters.badEpochs = 0
        }
        guard counters.badEpochs > configuration.patience else { return [] }
        let reason = "plateau: no improvement on \(formatFloat(Float(counters.best))) for \(counters.badEpochs) epochs"
        let changes = reduce(reason: reason)
        counters.cooldownLeft = configuration.cooldown
        counters.badEpochs = 0
        events += changes
        return changes
    }

    /// new = max(old · factor, minLR), applied when old - new > eps. Reports the first group that changed.
    private func reduce(reason: String) -> [LRChangeEvent] {
        var changed: [LRChangeEvent] = []
        let count = optimizer?.groups.count ?? detachedRates.count
        for i in 0..<count {
            let old = optimizer.map { Double($0.groups[i].learningRate) } ?? detachedRates[i]
            let new = max(old * configuration.factor, configuration.minLR)
            guard old - new > configuration.eps else { continue }
            if let optimizer { optimizer.groups[i].learningRate = Float(new) } else { detachedRates[i] = new }
            if changed.isEmpty { changed.append(LRChangeEvent(epoch: counters.epoch, old: Float(old), new: Float(new), reason: reason)) }
        }
        return changed
    }

    /// The rate of each epoch for a given metric trace, without training: entry e is the rate
    /// used in epoch e, when `metrics[e - 1]` was the value monitored at the end of epoch e - 1.
    /// Returns `metrics.count + 1` rates and the change events.
    public static func simulate(metrics: [Double], initialRate: Float,
                                _ configuration: Configuration = Configuration()) -> (rates: [Float], events: [LRChangeEvent]) {
        let s = ReduceLROnPlateau(rate: initialRate, configuration)
        var rates = [initialRate]
        for m in metrics {
            s.step(metric: m)
            rates.append(Float(s.detachedRates[0]))
        }
        return (rates, s.events)
    }

    struct State: Codable { var counters: Counters; var events: [LRChangeEvent]; var configuration: Configuration }

    public func stateData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(State(counters: counters, events: events, configuration: configuration))
    }

    public func loadState(_ data: Data) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let s = try decoder.decode(State.self, from: data)
        counters = s.counters
        events = s.events
    }
}
