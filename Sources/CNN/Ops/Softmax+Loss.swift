/// Softmax over the last axis of a [N, K] tensor.
public func softmax(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "softmax: expects [N, K] logits, got \(x.shape)")
    if x.isMeta { return Tensor(meta: x.shape).traced("softmax", [x]) }
    preconditionFailure("softmax: kernel not implemented yet")
}

/// log(softmax(x)) over the last axis of [N, K], computed stably (max subtracted).
public func logSoftmax(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "log_softmax: expects [N, K] logits, got \(x.shape)")
    if x.isMeta { return Tensor(meta: x.shape).traced("log_softmax", [x]) }
    preconditionFailure("log_softmax: kernel not implemented yet")
}

/// Mean cross-entropy of logits [N, K] against class indices, with optional label smoothing.
///
/// L = −(1/N) Σ_n Σ_k t[n, k] · log softmax(x)[n, k], t the (smoothed) target.
public func crossEntropy(logits: Tensor, labels: [Int], labelSmoothing epsilon: Float = 0,
                         smoothing: LabelSmoothing = .pytorch) -> Tensor {
    precondition(logits.rank == 2, "cross_entropy: logits must be [N, K], got \(logits.shape)")
    precondition(labels.count == logits.shape[0], "cross_entropy: \(labels.count) labels for a batch of \(logits.shape[0])")
    let k = logits.shape[1]
    for (i, l) in labels.enumerated() { precondition(l >= 0 && l < k, "cross_entropy: label \(l) at position \(i) is outside 0..<\(k)") }
    precondition(epsilon >= 0 && epsilon <= 1, "cross_entropy: label smoothing must be in [0, 1], got \(epsilon)")
    if logits.isMeta { return Tensor(meta: []).traced("cross_entropy", [logits]) }
    preconditionFailure("cross_entropy: kernel not implemented yet")
}
