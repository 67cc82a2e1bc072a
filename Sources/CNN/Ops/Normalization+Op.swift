/// Which formula a local response normalisation follows. See `localResponseNorm`.
public enum LRNConvention: String, Sendable, CaseIterable {
    /// Krizhevsky et al. 2012: window j = max(0, i − ⌊n/2⌋) … min(N−1, i + ⌊n/2⌋), α not divided.
    case krizhevsky
    /// PyTorch (and ONNX, Caffe): window i − ⌊n/2⌋ … i + ⌊(n−1)/2⌋ zero-padded, α divided by n.
    case pytorch
}

/// Local response normalisation across channels (Krizhevsky et al. 2012, §3.3).
///
/// b[i] = a[i] / (k + α' · Σ_{j ∈ window(i)} a[j]²)^β over the channels i of one pixel, with
///
/// | convention    | window(i), clipped to 0 ..< C      | α'    |
/// |---------------|------------------------------------|-------|
/// | `.krizhevsky` | i − ⌊n/2⌋ … i + ⌊n/2⌋  (n = size)   | α     |
/// | `.pytorch`    | i − ⌊n/2⌋ … i + ⌊(n−1)/2⌋           | α / n |
///
/// Translation (⇔ means identical outputs):
///
/// | framework                                      | window below/above i | scale on Σ | equivalent here                                            |
/// |------------------------------------------------|----------------------|------------|------------------------------------------------------------|
/// | paper / lecture (n, k, α, β)                   | ⌊n/2⌋ / ⌊n/2⌋        | α          | `.krizhevsky`, size n                                      |
/// | PyTorch `nn.LocalResponseNorm(size, α, β, k)`  | ⌊n/2⌋ / ⌊(n−1)/2⌋    | α/size     | `.pytorch`, size n                                         |
/// | Caffe `LRN` ACROSS_CHANNELS (local_size odd, α, β, k) | (n−1)/2 / (n−1)/2 | α/local_size | `.pytorch`, size local_size                     |
/// | ONNX `LRN` (size, alpha, beta, bias)           | ⌊(n−1)/2⌋ / ⌈(n−1)/2⌉ | α/size    | odd size: `.pytorch`, size n, k = bias (even: mirrored window, no match) |
/// | TensorFlow `local_response_normalization` (depth_radius r, bias, alpha, beta) | r / r | α | `.krizhevsky`, size 2r (or 2r+1), k = bias        |
///
/// So `.krizhevsky` with size n equals `.pytorch` with size m = 2⌊n/2⌋ + 1 and α·m (an even n
/// sums n + 1 channels: the paper's window is symmetric); `.pytorch` with an odd size m equals
/// `.krizhevsky` with size m and α/m. An even PyTorch size sums one more channel below i than
/// above it and has no Krizhevsky form. AlexNet's (k, n, α, β) = (2, 5, 1e-4, 0.75) is
/// `nn.LocalResponseNorm(5, alpha: 5e-4, beta: 0.75, k: 2)` in PyTorch; Caffe's bvlc_alexnet
/// (local_size 5, α 1e-4, k 1) divides α by 5 and so differs from the paper.
///
/// The lecture's example, four channels equal to 1 and (k, α, β, n) = (0, 1, 1, 2):
///
///     let x = Tensor.ones([1, 4, 1, 1])
///     localResponseNorm(x, size: 2, alpha: 1, beta: 1, k: 0, convention: .krizhevsky).scalars  // [0.5, 0.333, 0.333, 0.5]
///     localResponseNorm(x, size: 2, alpha: 1, beta: 1, k: 0, convention: .pytorch).scalars     // [2, 1, 1, 1]
///
/// - Shape: [N, C, H, W] → [N, C, H, W]
/// - Complexity: O(N·C·H·W) (a sliding window over channels); backward keeps the scale (one
///   tensor of the input's size).
public func localResponseNorm(_ x: Tensor, size: Int, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1,
                              convention: LRNConvention = .pytorch) -> Tensor {
    precondition(x.rank == 4, "local_response_norm: input must be [N, C, H, W], got shape \(x.shape)")
    precondition(size >= 1, "local_response_norm: size must be at least 1, got \(size)")
    if x.isMeta { return Tensor(meta: x.shape).traced("local_response_norm", [x], saved: x.count) }
    let p = LRNParameters(size: size, alpha: alpha, beta: beta, k: k, convention: convention)
    let keep = Autograd.isEnabled && x.tracksGradient
    let (y, scale) = LRNKernel.forward(x, p, keepScale: keep)
    return y.traced("local_response_norm", [x], saved: x.count)
        .recording("local_response_norm", [x]) { g, _ in
            [LRNKernel.backward(gradOutput: g, input: x, scale: scale!, p)]
        }
}

/// Batch normalisation over (N, H, W) per channel (Ioffe & Szegedy 2015), `F.batch_norm`.
///
/// y = γ·(x − μ)/√(σ² + ε) + β per channel (γ = 1, β = 0 without affine parameters).
/// Training: μ and σ² are the batch mean and biased variance (divided by m = N·H·W), and the
/// running statistics are updated in place as PyTorch does, running ← (1 − momentum)·running +
/// momentum·batch, with the variance unbiased (σ²·m/(m − 1)). Evaluation: μ and σ² are the
/// running statistics. Gradients flow to x, γ and β (not to the running statistics).
///
///     let bn = batchNorm(Tensor.arange([2, 1, 1, 2]), weight: nil, bias: nil, runningMean: nil,
///                        runningVariance: nil, training: true)
///     bn.scalars   // [-1.342, -0.447, 0.447, 1.342]  (x̂ of 0, 1, 2, 3: μ = 1.5, σ² = 1.25)
///
/// - Shape: [N, C, H, W] (or [N, C]) → same; weight, bias, running statistics [C]
/// - Complexity: two reads of x for the statistics and one pass to normalise; backward keeps
///   only μ and σ⁻¹ (2·C values) and rereads x.
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                      training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5) -> Tensor {
    batchNormCore(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                  training: training, momentum: momentum, epsilon: epsilon, relu: false).output
}

/// relu(batchNorm(x, ...)) in one pass over the activations, with the same values and gradients
/// (the backward pass masks g by the output on the fly): the normalised tensor before the ReLU
/// is never stored, which saves a pass forward and one backward, and its memory.
///
/// For tracing, the batch-norm event is reported on `standIn` (a shape-only tensor in place of
/// the pre-ReLU values), so the caller can report the ReLU event from it, as `BatchNorm2D`
/// does; without a tracer `standIn` is the output itself.
package func batchNormReLU(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                           training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5) -> (output: Tensor, standIn: Tensor) {
    batchNormCore(x, weight: weight, bias: bias, runningMean: runningMean, runningVariance: runningVariance,
                  training: training, momentum: momentum, epsilon: epsilon, relu: true)
}

private func batchNormCore(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                           training: Bool, momentum: Float, epsilon: Float, relu: Bool) -> (output: Tensor, standIn: Tensor) {
    precondition(x.rank == 4 || x.rank == 2, "batch_norm: input must be [N, C, H, W] or [N, C], got shape \(x.shape)")
    let c = x.shape[1]
    for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVariance)] {
        if let t { precondition(t.shape == [c], "batch_norm: \(name) has shape \(t.shape), input has \(c) channels") }
    }
    if training { precondition(x.count / c > 1, "batch_norm: training needs more than one value per channel, got input \(x.shape)") }
    else { precondition(runningMean != nil && runningVariance != nil, "batch_norm: evaluation mode needs running statistics") }
    precondition(epsilon >= 0, "batch_norm: epsilon must be non-negative, got \(epsilon)")
    let inputs = [x] + [weight, bias].compactMap { $0 }
    if x.isMeta {
        let normalized = Tensor(meta: x.shape).traced("batch_norm", inputs, saved: 2 * c)
        return (relu ? Tensor(meta: x.shape) : normalized, normalized)
    }

    let mean: [Float], variance: [Float]
    if training {
        (mean, variance) = BatchNormKernel.statistics(x)
        let m = Float(x.count / c)
        if let runningMean, let runningVariance {   // outside the graph, as torch does under no_grad too
            for ch in 0..<c {
                runningMean.storage.base[ch] = (1 - momentum) * runningMean.storage.base[ch] + momentum * mean[ch]
                runningVariance.storage.base[ch] = (1 - momentum) * runningVariance.storage.base[ch]
                    + momentum * variance[ch] * m / (m - 1)
            }
        } else if let runningMean {
            for ch in 0..<c { runningMean.storage.base[ch] = (1 - momentum) * runningMean.storage.base[ch] + momentum * mean[ch] }
        }
    } else {
        mean = runningMean!.scalars
        variance = runningVariance!.scalars
    }
    let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    let gamma = weight?.scalars, beta = bias?.scalars
    let y = BatchNormKernel.normalize(x, mean: mean, invStd: invStd, weight: gamma, bias: beta, relu: relu)
    let hasWeight = weight != nil, hasBias = bias != nil
    let standIn = relu && Trace.current != nil ? Tensor(meta: x.shape) : y
    _ = standIn.traced("batch_norm", inputs, saved: 2 * c)
    let mask = relu ? y.detached() : nil   // the ReLU's output, for its mask (detached: no cycle through y's own node)
    let output = y.recording("batch_norm", inputs) { g, needs in
        let (dx, dw, db) = BatchNormKernel.backward(gradOutput: g, input: x, mean: mean, invStd: invStd,
                                                    weight: gamma, training: training, reluOutput: mask)
        var grads: [Tensor?] = [needs[0] ? dx : nil]
        if hasWeight { grads.append(needs[1] ? Tensor(shape: [c], values: dw) : nil) }
        if hasBias { grads.append(needs[grads.count] ? Tensor(shape: [c], values: db) : nil) }
        return grads
    }
    return (output, relu ? standIn : output)
}

/// Inverted dropout (Srivastava et al. 2014, scaled at training time as PyTorch does): in
/// training, each element is zeroed with probability p and the rest are scaled by 1/(1 − p), so
/// evaluation is the identity. The mask comes from the engine's default generator
/// (`Random.seed`), drawn in row-major order; backward multiplies by the same saved mask.
///
///     Random.seed(0)
///     dropout(Tensor.ones([8]), probability: 0.5, training: true).scalars   // each 0 or 2
///
/// - Shape: any → same
/// - Complexity: one generator draw per element; backward keeps the mask (the input's size).
public func dropout(_ x: Tensor, probability p: Float, training: Bool) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout: probability must be in [0, 1], got \(p)")
    if !training || p == 0 { return x }
    if x.isMeta { return Tensor(meta: x.shape).traced("dropout", [x], saved: x.count) }
    return Random.withGenerator { dropout(x, probability: p, training: true, generator: &$0) }
}

/// Inverted dropout drawing its mask from `generator` (for reproducible masks independent of
/// the default stream, e.g. one generator per data-loader worker or per test).
public func dropout(_ x: Tensor, probability p: Float, training: Bool, generator: inout SeededGenerator) -> Tensor {
    precondition(p >= 0 && p <= 1, "dropout: probability must be in [0, 1], got \(p)")
    if !training || p == 0 { return x }
    if x.isMeta { return Tensor(meta: x.shape).traced("dropout", [x], saved: x.count) }
    let (y, mask) = DropoutKernel.forward(x, probability: p, generator: &generator)
    return y.traced("dropout", [x], saved: x.count)
        .recording("dropout", [x]) { g, _ in [DropoutKernel.multiply(g, mask)] }
}
