// Optimisers in order of increasing complexity: SGD (SGD.swift), RMSProp (RMSProp.swift),
// Adam and AdamW (Adam.swift). This file holds what they share: parameter groups, per-parameter
// state, the step loop outside the autograd graph, and state save/restore for resumable runs.

/// Parameters that share a learning rate and a weight decay (PyTorch's `param_groups` entry).
///
/// The usual split keeps weight decay off biases and batch-norm scales and shifts:
///
///     let opt = SGD(groups: ParameterGroup.decayAndNoDecay(model, weightDecay: 5e-4),
///                   learningRate: 0.01, momentum: 0.9)
public struct ParameterGroup {
    /// A label for logs and checkpoints ("decay", "no_decay").
    public var name: String
    /// The tensors with their state_dict keys.
    public var parameters: [(name: String, tensor: Tensor)]
    /// The current learning rate (schedules rewrite it every epoch).
    public var learningRate: Float
    /// The rate the group started with: schedules scale it (PyTorch's `initial_lr`).
    public var initialLearningRate: Float
    /// The L2 coefficient (SGD, RMSProp, Adam: added to the gradient; AdamW: decoupled).
    public var weightDecay: Float
    let requestedLearningRate: Float?
    let requestedWeightDecay: Float?

    /// A group; a `nil` rate or decay takes the optimiser's default.
    public init(name: String = "default", parameters: [(name: String, tensor: Tensor)],
                learningRate: Float? = nil, weightDecay: Float? = nil) {
        self.name = name
        self.parameters = parameters
        self.requestedLearningRate = learningRate
        self.requestedWeightDecay = weightDecay
        self.learningRate = learningRate ?? 0
        self.initialLearningRate = learningRate ?? 0
        self.weightDecay = weightDecay ?? 0
    }

    /// Two groups of `model`'s parameters: tensors of rank >= 2 (conv and linear weights) with
    /// `weightDecay`, and tensors of rank <= 1 (biases, batch-norm scales and shifts) without.
    public static func decayAndNoDecay(_ model: Module, weightDecay: Float) -> [ParameterGroup] {
        let named = model.namedParameters()
        return [ParameterGroup(name: "decay", parameters: named.filter { $0.tensor.rank >= 2 }, weightDecay: weightDecay),
                ParameterGroup(name: "no_decay", parameters: named.filter { $0.tensor.rank <= 1 }, weightDecay: 0)]
    }
}

/// What an optimiser remembers about one parameter between steps: a step count and named
/// buffers (momentum, running averages) of the parameter's shape.
public final class ParameterState {
    /// Updates applied so far (Adam's bias correction uses it).
    public var step: Int = 0
    /// Buffers by name ("momentum_buffer", "square_avg", "exp_avg", ...), PyTorch's keys.
    public var buffers: [String: Tensor] = [:]

    public init() {}

    /// The buffer `name`, created as `initial` (default zeros of `shape`) on first use.
    public func buffer(_ name: String, shape: [Int], initial: Float = 0) -> Tensor {
        if let b = buffers[name] { return b }
        let b = Tensor.full(shape, initial)
        buffers[name] = b
        return b
    }
}

/// A snapshot of an optimiser for a checkpoint: the hyper-parameters of every group, step
/// counts, and the buffers as tensors keyed "<group>.<index>.<buffer>".
public struct OptimizerState {
    public struct Group: Codable, Equatable, Sendable {
        public var name: String
        public var parameterNames: [String]
        public var learningRate: Float
        public var initialLearningRate: Float
        public var weightDecay: Float
    }
    public struct Metadata: Codable, Equatable, Sendable {
        /// `Optimizer.kind` of the optimiser that wrote it ("SGD", "Adam", ...).
        public var kind: String
        public var groups: [Group]
        /// Step counts, one array per group.
        public var steps: [[Int]]
    }
    public var metadata: Metadata
    public var tensors: [(key: String, tensor: Tensor)]

    public init(metadata: Metadata, tensors: [(key: String, tensor: Tensor)]) {
        self.metadata = metadata
        self.tensors = tensors
    }
}

/// Why a saved optimiser state does not fit the optimiser it is loaded into.
public struct OptimizerStateError: Error, CustomStringConvertible {
    public let description: String
}

/// The base of the optimisers: owns the groups and the per-parameter state, and runs
/// `update` for every parameter that has a gradient, outside the graph.
///
/// Subclasses override `update(_:gradient:state:group:)` with their equations.
open class Optimizer {
    public var groups: [ParameterGroup]
    /// Per group, per parameter.
    public private(set) var state: [[ParameterState]]

    /// Resolves each group's missing rate and decay to the defaults.
    public init(groups: [ParameterGroup], learningRate: Float, weightDecay: Float) {
        precondition(learningRate >= 0, "\(Self.self): learning rate \(learningRate) must be >= 0")
        precondition(weightDecay >= 0, "\(Self.self): weight decay \(weightDecay) must be >= 0")
        var seen = Set<ObjectIdentifier>()
        for g in groups {
            for (n, t) in g.parameters {
                precondition(seen.insert(ObjectIdentifier(t)).inserted, "\(Self.self): parameter '\(n)' appears in more than one group")
            }
        }
        self.groups = groups.map { g in
            var g = g
            g.learningRate = g.requestedLearningRate ?? learningRate
            g.initialLearningRate = g.learningRate
            g.weightDecay = g.requestedWeightDecay ?? weightDecay
            return g
        }
        self.state = groups.map { $0.parameters.map { _ in ParameterState() } }
    }

    /// A single group holding `model`'s parameters.
    public convenience init(model: Module, learningRate: Float, weightDecay: Float) {
        self.init(groups: [ParameterGroup(parameters: model.namedParameters())], learningRate: learningRate, weightDecay: weightDecay)
    }

    /// The name written into saved states ("SGD", "RMSProp", "Adam", "AdamW").
    open var kind: String { String(describing: type(of: self)) }

    /// One update of every parameter that has a gradient (`optimizer.step()`).
    public func step() {
        withNoGrad {
            for (gi, group) in groups.enumerated() {
                for (pi, (name, p)) in group.parameters.enumerated() {
                    guard let g = p.grad else { continue }
                    precondition(g.count == p.count, "\(kind).step: gradient of '\(name)' has shape \(g.shape), parameter \(p.shape)")
                    let s = state[gi][pi]
                    s.step += 1
                    update(p, gradient: g, state: s, group: group)
                }
            }
        }
    }

    /// Applies one step to `parameter` in place. `state.step` already counts this step.
    open func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParameterGroup) {
        preconditionFailure("\(kind) does not implement update(_:gradient:state:group:)")
    }

    /// Clears the gradients of every parameter in every group.
    public func zeroGrad() { for g in groups { for (_, p) in g.parameters { p.grad = nil } } }

    /// The first group's learning rate; setting it sets every group's (use `groups` for more).
    public var learningRate: Float {
        get { groups.first?.learningRate ?? 0 }
        set { for i in groups.indices { groups[i].learningRate = newValue } }
    }

    // MARK: - Save and restore

    /// The state to put in a checkpoint.
    public func stateDict() -> OptimizerState {
        var tensors: [(String, Tensor)] = []
        for (gi, row) in state.enumerated() {
            for (pi, s) in row.enumerated() {
                for key in s.buffers.keys.sorted() { tensors.append(("\(gi).\(pi).\(key)", s.buffers[key]!.copy())) }
            }
        }
        let meta = OptimizerState.Metadata(
            kind: kind,
            groups: groups.map { .init(name: $0.name, parameterNames: $0.parameters.map(\.name), learningRate: $0.learningRate,
                                       initialLearningRate: $0.initialLearningRate, weightDecay: $0.weightDecay) },
            steps: state.map { $0.map(\.step) })
        return OptimizerState(metadata: meta, tensors: tensors)
    }

    /// Restores a state saved by an optimiser of the same kind over the same parameters.
    public func load(_ saved: OptimizerState) throws {
        let m = saved.metadata
        guard m.kind == kind else { throw OptimizerStateError(description: "optimizer state was saved by \(m.kind), cannot load into \(kind)") }
        guard m.groups.count == groups.count else {
            throw OptimizerStateError(description: "optimizer state has \(m.groups.count) parameter groups, the optimizer has \(groups.count)")
        }
        for (gi, g) in m.groups.enumerated() where g.parameterNames != groups[gi].parameters.map(\.name) {
            throw OptimizerStateError(description: "optimizer state group \(gi) ('\(g.name)') holds parameters \(g.parameterNames.prefix(4))…, the optimizer's group holds \(groups[gi].parameters.map(\.name).prefix(4))…")
        }
        let fresh = groups.map { $0.parameters.map { _ in ParameterState() } }
        for (gi, row) in fresh.enumerated() { for (pi, s) in row.enumerated() { s.step = m.steps[gi][pi] } }
        for (key, t) in saved.tensors {
            let parts = key.split(separator: ".", maxSplits: 2)
            guard parts.count == 3, let gi = Int(parts[0]), let pi = Int(parts[1]), gi < fresh.count, pi < fresh[gi].count else {
                throw OptimizerStateError(description: "optimizer state tensor '\(key)' does not name a parameter of this optimizer")
            }
            let p = groups[gi].parameters[pi]
            guard t.count == p.tensor.count else {
                throw OptimizerStateError(description: "optimizer state tensor '\(key)' has shape \(t.shape), parameter '\(p.name)' has \(p.tensor.shape)")
            }
            fresh[gi][pi].buffers[String(parts[2])] = t.copy().reshaped(p.tensor.shape)
        }
        for (gi, g) in m.groups.enumerated() {
            groups[gi].learningRate = g.learningRate
            groups[gi].initialLearningRate = g.initialLearningRate
            groups[gi].weightDecay = g.weightDecay
        }
        state = fresh
    }
}

/// Runs `body` over the elements of `tensors` (all of one count) in parallel chunks, with raw
/// pointers: the optimisers' update loops.
@inline(__always)
func elementwiseUpdate(_ tensors: [Tensor], _ body: (_ p: [UnsafeMutablePointer<Float>], _ range: Range<Int>) -> Void) {
    let pointers = tensors.map { SendablePointer($0.storage.base) }
    parallelRanges(tensors[0].count, minimumPerTask: 1 << 16) { r in body(pointers.map(\.p), r) }
}
