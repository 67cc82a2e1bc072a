/// Which formula a local response normalisation follows. See `localResponseNorm`.
public enum LRNConvention: String, Sendable, CaseIterable {
    /// Krizhevsky et al. 2012: window j = max(0, i − ⌊n/2⌋) … min(N−1, i + ⌊n/2⌋), α not divided.
    case krizhevsky
    /// PyTorch (and ONNX, Caffe): window i − ⌊n/2⌋ … i + ⌊(n−1)/2⌋ zero-padded, α divided by n.
    case pytorch
}

/// Local response normalisation across channels.
///
/// b[i] = a[i] / (k + α' · Σ_{j ∈ window(i)} a[j]²)^β, with α' = α (Krizhevsky) or α/n (PyTorch).
/// AlexNet: k = 2, n = 5, α = 1e-4, β = 0.75.
///
/// - Shape: [N, C, H, W] → [N, C, H, W]
public func localResponseNorm(_ x: Tensor, size: Int, alpha: Float = 1e-4, beta: Float = 0.75, k: Float = 1,
                              convention: LRNConvention = .pytorch) -> Tensor {
    precondition(x.rank == 4, "local_response_norm: input must be [N, C, H, W], got shape \(x.shape)")
    precondition(size >= 1, "local_response_norm: size must be at least 1, got \(size)")
    if x.isMeta { return Tensor(meta: x.shape).traced("local_response_norm", [x], saved: 2 * x.count) }
    preconditionFailure("local_response_norm: kernel not implemented yet")
}

/// Batch normalisation over (N, H, W) per channel (Ioffe & Szegedy 2015), `F.batch_norm`.
///
/// Training: normalise with the batch mean and biased variance, and update the running
/// statistics with `momentum` (running = (1 − m)·running + m·batch, the variance unbiased).
/// Evaluation: normalise with the running statistics. y = γ·x̂ + β when affine.
///
/// - Shape: [N, C, H, W] (or [N, C]) → same
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVariance: Tensor?,
                      training: Bool, momentum: Float = 0.1, epsilon: Float = 1e-5) -> Tensor {
    precondition(x.rank == 4 || x.rank == 2, "batch_norm: input must be [N, C, H, W] or [N, C], got shape \(x.shape)")
    let c = x.shape[1]
    for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVariance)] {
        if let t { precondition(t.shape == [c], "batch_norm: \(name) has shape \(t.shape), input has \(c) channels") }
    }
    if training { precondition(x.count / c > 1, "batch_norm: training needs more than one value per channel, got input \(x.shape)") }
    else { precondition(runningMean != nil && runningVariance != nil, "batch_norm: evaluation mode needs running statistics") }
    if x.isMeta { return Tensor(meta: x.shape).traced("batch_norm", [x], saved: x.count) }
    preconditionFailure("batch_norm: kernel not implemented yet")
}

/// Inverted dropout: in training, zero each element with probability p and scale the rest
/// by 1/(1 − p); in evaluation the identity. Draws from the default generator.
public func dropout(_ x: Tensor, probability p: Float, training: Bool) -> Tensor {
    precondition(p >= 0 && p < 1 || p == 1, "dropout: probability must be in [0, 1], got \(p)")
    if !training || p == 0 { return x }
    if x.isMeta { return Tensor(meta: x.shape).traced("dropout", [x], saved: x.count) }
    preconditionFailure("dropout: kernel not implemented yet")
}
