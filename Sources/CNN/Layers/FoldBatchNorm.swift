// Folding batch norm into the convolution before it, for inference.
//
// In evaluation mode a batch norm is an affine map per channel, y = s·(x − μ) + β with
// s = γ/√(σ² + ε) from the running statistics, so when x is a convolution's output and nothing
// else reads x, the pair is one convolution with
//
//   w'[f] = s[f]·w[f]        b'[f] = s[f]·(b[f] − μ[f]) + β[f]
//
// which saves the batch norm's pass over the activations (ResNet-50 at batch 1: 53 passes, about
// 4.5 ms of 70). PyTorch does the same in torch.ao.quantization.fuse_modules and torch.fx's
// fuse pass. The pairs are found by tracing one forward pass on a meta input (shapes only), so
// models with hand-written forward code (residual blocks, DenseNet layers) are covered, and a
// convolution whose output is also read elsewhere (a DenseNet concatenation) is left alone.

/// Records, for one traced forward pass, which op each module ran and how often each tensor is read.
///
/// Tensors are told apart by object identity; an identity freed during the pass may come back for
/// a later tensor, so every op output starts a new "generation" of its identity, and reads count
/// against the generation current when they happen.
private final class FoldTracer: OpTracer, @unchecked Sendable {
    struct Key: Hashable { let id: ObjectIdentifier, generation: Int }
    private var stack: [Module] = []
    private var generations: [ObjectIdentifier: Int] = [:]
    /// Convolution modules by the tensor their conv2d op produced.
    var convolutionOutputs: [Key: Conv2D] = [:]
    /// Batch norms and the tensor their batch_norm op read.
    var batchNormInputs: [(BatchNorm2D, Key)] = []
    var reads: [Key: Int] = [:]

    private func key(_ id: ObjectIdentifier) -> Key { Key(id: id, generation: generations[id, default: 0]) }

    func record(_ event: OpEvent) {
        for id in event.inputIDs { reads[key(id), default: 0] += 1 }
        let input = event.inputIDs.first.map(key)
        generations[event.outputID, default: 0] += 1
        let output = key(event.outputID)
        switch (event.op, stack.last) {
        case ("conv2d", let conv as Conv2D): convolutionOutputs[output] = conv
        case ("batch_norm", let bn as BatchNorm2D): if let input { batchNormInputs.append((bn, input)) }
        default: break
        }
    }
    func enter(_ module: Module) { stack.append(module) }
    func exit(_ module: Module, output: Tensor) { stack.removeLast() }
}

extension Module {
    /// Folds every batch norm whose input is a convolution's output read by nothing else into
    /// that convolution (its weight rescaled, a bias added where it had none), for inference on
    /// inputs of shape `input` ([N, C, H, W]; only the shapes matter, the pass is traced on a
    /// meta tensor). The model must be in evaluation mode and stays an inference model: a folded
    /// batch norm passes its input through, and running it in training mode stops with an error
    /// that names it. Returns the names of the pairs folded, (convolution, batch norm).
    ///
    ///     let net = ResNet(depth: 50); net.eval()
    ///     net.foldBatchNorms(input: [1, 3, 224, 224]).count   // 53
    @discardableResult
    public func foldBatchNorms(input: [Int]) -> [(convolution: String, batchNorm: String)] {
        precondition(!isTraining, "foldBatchNorms: \(typeName) is in training mode; call eval() first (folding uses the running statistics)")
        precondition(input.count == 4 && input.allSatisfy { $0 > 0 }, "foldBatchNorms: input must be a positive [N, C, H, W] shape, got \(input)")
        let tracer = FoldTracer()
        let x = Tensor(meta: input)
        Trace.$current.withValue(tracer) { _ = withNoGrad { self(x) } }
        let names = Dictionary(namedModules().map { (ObjectIdentifier($0.module), $0.name) }, uniquingKeysWith: { a, _ in a })
        var folded: [(String, String)] = []
        for (bn, input) in tracer.batchNormInputs where !bn.isFolded {
            guard let conv = tracer.convolutionOutputs[input], tracer.reads[input] == 1,
                  bn.channels == conv.outputChannels else { continue }
            conv.absorb(bn)
            folded.append((names[ObjectIdentifier(conv)] ?? conv.typeName, names[ObjectIdentifier(bn)] ?? bn.typeName))
        }
        return folded
    }
}

extension Conv2D {
    /// w'[f] = s[f]·w[f], b'[f] = s[f]·(b[f] − μ[f]) + β[f] with s = γ/√(σ² + ε); marks `bn` folded.
    fileprivate func absorb(_ bn: BatchNorm2D) {
        let f = outputChannels, perFilter = weight.count / f
        let mean = bn.runningMean.scalars, variance = bn.runningVariance.scalars
        let gamma = bn.weight?.scalars ?? [Float](repeating: 1, count: f)
        let beta = bn.bias?.scalars ?? [Float](repeating: 0, count: f)
        let oldBias = bias?.scalars ?? [Float](repeating: 0, count: f)
        let w = weight.storage.base
        var newBias = [Float](repeating: 0, count: f)
        for k in 0..<f {
            let s = gamma[k] / (variance[k] + bn.epsilon).squareRoot()
            for i in 0..<perFilter { w[k * perFilter + i] *= s }
            newBias[k] = s * (oldBias[k] - mean[k]) + beta[k]
        }
        if let bias {
            bias.storage.base.update(from: newBias, count: f)
        } else {
            installBias(Tensor(shape: [f], values: newBias))
        }
        bn.markFolded()
    }
}
