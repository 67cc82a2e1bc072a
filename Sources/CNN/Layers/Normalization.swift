/// Local response normalisation layer, `nn.LocalResponseNorm` (see `localResponseNorm`).
/// AlexNet: `LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky)`.
public final class LocalResponseNorm: Module {
    public let size: Int, alpha: Float, beta: Float, k: Float
    public let convention: LRNConvention

    public init(size: Int, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1, convention: LRNConvention = .pytorch) {
        precondition(size >= 1, "LocalResponseNorm: size must be at least 1, got \(size)")
        self.size = size; self.alpha = alpha; self.beta = beta; self.k = k; self.convention = convention
        super.init()
    }

    public override func forward(_ x: Tensor) -> Tensor {
        localResponseNorm(x, size: size, alpha: alpha, beta: beta, k: k, convention: convention)
    }

    public override var configuration: String { "\(size), alpha=\(alpha), beta=\(beta), k=\(k), \(convention.rawValue)" }
}

/// Batch normalisation layer, `nn.BatchNorm2d`, with state_dict keys `weight`, `bias`,
/// `running_mean`, `running_var`, `num_batches_tracked`. Also accepts [N, C] (`nn.BatchNorm1d`).
public final class BatchNorm2D: Module {
    public let channels: Int, epsilon: Float
    /// Weight of each training batch's statistics in the running averages; nil averages all the
    /// batches since the last `resetRunningStatistics()` with equal weight (PyTorch's
    /// `momentum=None`: the factor is 1 / `num_batches_tracked`).
    public var momentum: Float?
    public let weight: Tensor?, bias: Tensor?
    public let runningMean: Tensor, runningVariance: Tensor
    /// Training steps taken (PyTorch keeps it as int64).
    public let batchesTracked: Tensor
    /// Whether `Module.foldBatchNorms` folded this layer into the convolution before it (it then
    /// passes its input through, and may not be run in training mode).
    public private(set) var isFolded = false

    public init(_ channels: Int, momentum: Float? = 0.1, epsilon: Float = 1e-5, affine: Bool = true) {
        precondition(channels > 0, "BatchNorm2D: channels must be positive, got \(channels)")
        self.channels = channels; self.momentum = momentum; self.epsilon = epsilon
        weight = affine ? Init.constant([channels], 1) : nil
        bias = affine ? Init.constant([channels], 0) : nil
        runningMean = Init.constant([channels], 0)
        runningVariance = Init.constant([channels], 1)
        batchesTracked = Init.constant([], 0)
        super.init()
        if let weight, let bias { registerParameter("weight", weight); registerParameter("bias", bias) }
        registerBuffer("running_mean", runningMean)
        registerBuffer("running_var", runningVariance)
        registerBuffer("num_batches_tracked", batchesTracked, isInteger: true)
    }

    /// Running mean 0, running variance 1, no batches tracked (PyTorch's `reset_running_stats`).
    public func resetRunningStatistics() {
        runningMean.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        runningVariance.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
        batchesTracked.storage.base[0] = 0
    }

    /// The factor of this step's statistics in the running averages (after `accept` counted it).
    private var averagingFactor: Float { momentum ?? 1 / max(batchesTracked.storage.base[0], 1) }

    /// Checks `x` against the layer (and a folded layer against training mode) and counts a training step.
    private func accept(_ x: Tensor) {
        precondition((x.rank == 4 || x.rank == 2) && x.shape[1] == channels,
                     "BatchNorm2D: input \(x.shape) does not have the layer's \(channels) channels")
        precondition(!(isFolded && isTraining), "BatchNorm2D(\(channels)): folded into its convolution for inference "
                     + "(foldBatchNorms); training needs the model rebuilt or reloaded")
        if isTraining && !x.isMeta { batchesTracked.storage.base[0] += 1 }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        accept(x)
        if isFolded { return x }
        return batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                         training: isTraining, momentum: averagingFactor, epsilon: epsilon)
    }

    /// relu(self(x)) in one pass (`batchNormReLU`): the same values and gradients, one pass
    /// fewer over the activations forward and backward, and no stored pre-ReLU tensor. Tracers
    /// see the same events as for `bn(x).relu()` (the module's call, then a relu op).
    public func callAsFunction(_ x: Tensor, relu: Bool) -> Tensor {
        guard relu, !isFolded else { return relu ? self(x).relu() : self(x) }
        let tracer = Trace.current
        tracer?.enter(self)
        accept(x)
        let (y, standIn) = batchNormReLU(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                                         training: isTraining, momentum: averagingFactor, epsilon: epsilon)
        guard let tracer else { return y }
        tracer.exit(self, output: standIn)
        return y.traced("relu", [standIn], saved: y.count)
    }

    /// Marks the layer folded (see `isFolded`).
    func markFolded() { isFolded = true }

    public override var configuration: String {
        "\(channels), eps=\(epsilon), momentum=\(momentum.map { "\($0)" } ?? "None")" + (isFolded ? ", folded into the convolution" : "")
    }
}

/// Dropout layer, `nn.Dropout` (identity in evaluation mode).
public final class Dropout: Module {
    public let probability: Float
    public init(probability: Float = 0.5) {
        precondition(probability >= 0 && probability <= 1, "Dropout: probability must be in [0, 1], got \(probability)")
        self.probability = probability
        super.init()
    }
    public override func forward(_ x: Tensor) -> Tensor { dropout(x, probability: probability, training: isTraining) }
    public override var configuration: String { "p=\(probability)" }
}
