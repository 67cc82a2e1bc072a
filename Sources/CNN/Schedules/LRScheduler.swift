import Foundation

/// A stateful learning-rate controller bound to an optimiser, stepped once per epoch
/// (`scheduler.step()` in PyTorch, after the epoch's training and validation).
///
/// Two kinds: `ScheduledLR` follows an `LRSchedule` (a function of the epoch), and
/// `ReduceLROnPlateau` reacts to a monitored metric. Both record `LRChangeEvent`s.
public protocol LearningRateScheduler: AnyObject {
    /// The epoch whose rate is set now (0 before the first `step`).
    var epoch: Int { get }
    /// Every change of the rate so far, in order.
    var events: [LRChangeEvent] { get }
    /// Ends the current epoch: `metric` is the monitored value (ReduceLROnPlateau needs it;
    /// schedules ignore it). Returns the changes made, for logs.
    @discardableResult func step(metric: Double?) -> [LRChangeEvent]
    /// Whether `step` needs a metric.
    var needsMetric: Bool { get }
    /// The scheduler's own state (the rates themselves live in the optimiser's state).
    func stateData() throws -> Data
    func loadState(_ data: Data) throws
}

/// Drives an optimiser's groups along an `LRSchedule`: each group gets
/// `schedule.rate(epoch, base: group.initialLearningRate)`.
///
///     let scheduler = ScheduledLR(optimizer, .multiStep(milestones: [30, 60], gamma: 0.1, base: 0.1))
///     for epoch in 0..<90 { train(); scheduler.step() }
public final class ScheduledLR: LearningRateScheduler {
    public let optimizer: Optimizer
    public let schedule: LRSchedule
    public private(set) var epoch: Int = 0
    public private(set) var events: [LRChangeEvent] = []

    /// Sets the rates of epoch 0 (PyTorch's constructor does the same).
    public init(_ optimizer: Optimizer, _ schedule: LRSchedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        apply()
    }

    public var needsMetric: Bool { false }

    @discardableResult
    public func step(metric: Double? = nil) -> [LRChangeEvent] {
        let old = optimizer.learningRate
        epoch += 1
        apply()
        let new = optimizer.learningRate
        guard new != old else { return [] }
        let e = LRChangeEvent(epoch: epoch, old: old, new: new, reason: schedule.reason(at: epoch))
        events.append(e)
        return [e]
    }

    private func apply() {
        for i in optimizer.groups.indices {
            optimizer.groups[i].learningRate = schedule.rate(epoch, base: optimizer.groups[i].initialLearningRate)
        }
    }

    struct State: Codable { var epoch: Int; var events: [LRChangeEvent] }

    public func stateData() throws -> Data { try JSONEncoder().encode(State(epoch: epoch, events: events)) }

    public func loadState(_ data: Data) throws {
        let s = try JSONDecoder().decode(State.self, from: data)
        epoch = s.epoch
        events = s.events
        apply()
    }
}
