import Foundation

/// A learning-rate schedule as a function of the epoch, `lr(epoch)`, with PyTorch's
/// closed forms (`get_lr` at `last_epoch = epoch`). Epochs count from 0: `lr(0)` is the rate
/// of the first epoch.
///
/// A schedule is a function of the base rate too, so one schedule drives every parameter
/// group from that group's own initial rate: `rate(epoch, base:)`. Plotting takes one line:
///
///     let s = LRSchedule.stepEvery(8, gamma: 0.96, base: 0.01)   // GoogLeNet
///     s.values(epochs: 30)                                          // [0.01, 0.01, …, 0.0096, …]
///     s.events(epochs: 30)                                          // epoch 8: 0.01 → 0.0096, …
public struct LRSchedule: Sendable {
    /// A short description ("step every 8 epochs x0.96").
    public let name: String
    /// The rate the schedule starts from (a group's initial rate replaces it in `rate(_:base:)`).
    public let base: Float
    let formula: @Sendable (_ epoch: Int, _ base: Double) -> Double
    let reasonAt: @Sendable (_ epoch: Int) -> String

    /// A schedule from a formula of (epoch, base rate).
    public init(name: String, base: Float, reason: @escaping @Sendable (Int) -> String = { _ in "" },
                _ formula: @escaping @Sendable (_ epoch: Int, _ base: Double) -> Double) {
        self.name = name
        self.base = base
        self.formula = formula
        self.reasonAt = reason
    }

    /// The rate in epoch `epoch` (from 0).
    public func callAsFunction(_ epoch: Int) -> Float { rate(epoch, base: base) }

    /// The rate in epoch `epoch` for a group that started at `base`.
    public func rate(_ epoch: Int, base: Float) -> Float {
        precondition(epoch >= 0, "LRSchedule \(name): epoch \(epoch) must be >= 0")
        return Float(formula(epoch, Double(base)))
    }

    /// `lr(0)`, …, `lr(epochs - 1)`, for plots; nothing is trained.
    public func values(epochs: Int) -> [Float] { (0..<epochs).map { self($0) } }

    /// The epochs at which the rate changes within the first `epochs`, for markers on curves.
    public func events(epochs: Int) -> [LRChangeEvent] {
        var out: [LRChangeEvent] = []
        var previous = epochs > 0 ? self(0) : 0
        for e in 1..<max(epochs, 1) {
            let now = self(e)
            if now != previous { out.append(LRChangeEvent(epoch: e, old: previous, new: now, reason: reason(at: e))) }
            previous = now
        }
        return out
    }

    /// Why the rate changes entering `epoch` (for event labels).
    public func reason(at epoch: Int) -> String {
        let r = reasonAt(epoch)
        return r.isEmpty ? name : r
    }
}

/// A change of the learning rate: entering `epoch`, the rate went from `old` to `new`.
public struct LRChangeEvent: Codable, Equatable, Sendable, CustomStringConvertible {
    public var epoch: Int
    public var old: Float
    public var new: Float
    public var reason: String
    public init(epoch: Int, old: Float, new: Float, reason: String) {
        self.epoch = epoch; self.old = old; self.new = new; self.reason = reason
    }
    public var description: String { "epoch \(epoch): \(formatFloat(old)) → \(formatFloat(new)) (\(reason))" }
}

extension LRSchedule {
    /// The same rate every epoch.
    public static func constant(_ base: Float) -> LRSchedule {
        LRSchedule(name: "constant", base: base) { _, b in b }
    }

    /// `StepLR`: lr = base · γ^⌊epoch / stepSize⌋. GoogLeNet's "x0.96 every 8 epochs" is
    /// `step(size: 8, gamma: 0.96)`; see also `stepEvery`.
    public static func step(size: Int, gamma: Float, base: Float) -> LRSchedule {
        precondition(size > 0, "LRSchedule.step: step size \(size) must be positive")
        return LRSchedule(name: "step every \(size) epochs x\(formatFloat(gamma))", base: base) { e, b in
            b * pow(Double(gamma), Double(e / size))
        }
    }

    /// "Multiply by γ every k epochs" (GoogLeNet: 0.96 every 8), the same law as `step`.
    public static func stepEvery(_ k: Int, gamma: Float, base: Float) -> LRSchedule { step(size: k, gamma: gamma, base: base) }

    /// `MultiStepLR`: lr = base · γ^(number of milestones ≤ epoch).
    public static func multiStep(milestones: [Int], gamma: Float, base: Float) -> LRSchedule {
        precondition(milestones.allSatisfy { $0 > 0 }, "LRSchedule.multiStep: milestones \(milestones) must be positive")
        let sorted = milestones.sorted()
        return LRSchedule(name: "x\(formatFloat(gamma)) at epochs \(sorted.map(String.init).joined(separator: ", "))", base: base,
                          reason: { e in "milestone \(e) x\(formatFloat(gamma))" }) { e, b in
            b * pow(Double(gamma), Double(sorted.filter { $0 <= e }.count))
        }
    }

    /// `ExponentialLR`: lr = base · γ^epoch.
    public static func exponential(gamma: Float, base: Float) -> LRSchedule {
        LRSchedule(name: "exponential x\(formatFloat(gamma)) per epoch", base: base) { e, b in b * pow(Double(gamma), Double(e)) }
    }

    /// `CosineAnnealingLR`: lr = η_min + (base - η_min)(1 + cos(π · epoch / T_max)) / 2.
    /// (PyTorch's recursive form equals this closed form up to rounding.)
    public static func cosine(period: Int, minimum: Float = 0, base: Float) -> LRSchedule {
        precondition(period > 0, "LRSchedule.cosine: period \(period) must be positive")
        return LRSchedule(name: "cosine over \(period) epochs", base: base) { e, b in
            Double(minimum) + (b - Double(minimum)) * (1 + cos(Double.pi * Double(e) / Double(period))) / 2
        }
    }

    /// `LinearLR`: the factor goes linearly from `startFactor` to `endFactor` over `epochs`
    /// epochs, then stays: lr = base · (s + (e - s) · min(epoch, epochs) / epochs).
    public static func linear(startFactor: Float, endFactor: Float = 1, epochs: Int, base: Float) -> LRSchedule {
        precondition(epochs > 0, "LRSchedule.linear: epochs \(epochs) must be positive")
        return LRSchedule(name: "linear x\(formatFloat(startFactor)) → x\(formatFloat(endFactor)) over \(epochs) epochs", base: base) { e, b in
            b * (Double(startFactor) + Double(endFactor - startFactor) * Double(min(e, epochs)) / Double(epochs))
        }
    }

    /// A warm-up of `epochs` epochs, then `after` restarted at its epoch 0 (PyTorch's
    /// `SequentialLR([warmup, after], milestones: [epochs])`).
    ///
    /// - `.constant(factor)`: base · factor during warm-up (ResNet-110: 0.01 = 0.1 · 0.1 for the
    ///   first epochs, then 0.1; `ConstantLR`).
    /// - `.linear(startFactor)`: from base · startFactor up to base linearly (`LinearLR`);
    ///   the rate reaches base at epoch `epochs`, where `after` starts.
    public static func warmup(_ kind: WarmupKind, epochs: Int, then after: LRSchedule) -> LRSchedule {
        precondition(epochs > 0, "LRSchedule.warmup: epochs \(epochs) must be positive")
        let name: String
        switch kind {
        case .constant(let f): name = "warm-up x\(formatFloat(f)) for \(epochs) epochs, then \(after.name)"
        case .linear(let f): name = "linear warm-up from x\(formatFloat(f)) over \(epochs) epochs, then \(after.name)"
        }
        return LRSchedule(name: name, base: after.base, reason: { e in e == epochs ? "warm-up ends" : (e < epochs ? "warm-up" : after.reason(at: e - epochs)) }) { e, b in
            guard e < epochs else { return after.formula(e - epochs, b) }
            switch kind {
            case .constant(let f): return b * Double(f)
            case .linear(let f): return b * (Double(f) + Double(1 - f) * Double(e) / Double(epochs))
            }
        }
    }

    public enum WarmupKind: Sendable {
        /// base · factor during warm-up.
        case constant(factor: Float)
        /// From base · startFactor rising linearly to base.
        case linear(startFactor: Float)
    }
}
