import Foundation

/// Softmax over the last axis of a [N, K] tensor: y[n, j] = exp(x[n, j] − m) / Σ_i exp(x[n, i] − m),
/// m the row maximum (so large logits do not overflow).
///
///     softmax(Tensor(shape: [1, 3], values: [1, 2, 3])).scalars   // [0.09003, 0.2447, 0.6652]
///
/// - Shape: [N, K] → [N, K]; backward keeps y.
public func softmax(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "softmax: expects [N, K] logits, got \(x.shape)")
    if x.isMeta { return Tensor(meta: x.shape).traced("softmax", [x], saved: x.count) }
    let y = SoftmaxKernel.forward(x, log: false)
    return y.traced("softmax", [x], saved: x.count)
        .recording("softmax", [x]) { [saved = y.detached()] g, _ in
            [SoftmaxKernel.backward(gradOutput: g, output: saved, log: false)]
        }
}

/// log(softmax(x)) over the last axis of [N, K], computed stably: x[n, j] − m − log Σ_i exp(x[n, i] − m).
///
///     logSoftmax(Tensor(shape: [1, 3], values: [1, 2, 3])).scalars   // [-2.408, -1.408, -0.4076]
///
/// - Shape: [N, K] → [N, K]; backward keeps y.
public func logSoftmax(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "log_softmax: expects [N, K] logits, got \(x.shape)")
    if x.isMeta { return Tensor(meta: x.shape).traced("log_softmax", [x], saved: x.count) }
    let y = SoftmaxKernel.forward(x, log: true)
    return y.traced("log_softmax", [x], saved: x.count)
        .recording("log_softmax", [x]) { [saved = y.detached()] g, _ in
            [SoftmaxKernel.backward(gradOutput: g, output: saved, log: true)]
        }
}

/// Mean cross-entropy of logits [N, K] against class indices, with optional label smoothing.
///
/// L = −(1/N) Σ_n Σ_k t[n, k] · log softmax(x)[n, k], with the target t for label y_n:
/// - `.pytorch` (PyTorch's `F.cross_entropy(x, y, label_smoothing: ε)`, Szegedy et al. 2016):
///   t = (1 − ε)·onehot(y_n) + ε/K;
/// - `.lecture` (the lecture's slide): t = 1 − ε on y_n and ε/(K − 1) on each other class.
/// Both targets sum to 1, so ∂L/∂x[n, k] = (softmax(x)[n, k] − t[n, k]) / N.
///
///     crossEntropy(logits: Tensor.zeros([2, 4]), labels: [0, 3]).item()   // 1.386 (= log 4)
///
/// - Shape: logits [N, K], labels N values in 0..<K → [] (a scalar)
/// - Complexity: O(N·K); backward keeps softmax(x) (N·K values).
public func crossEntropy(logits: Tensor, labels: [Int], labelSmoothing epsilon: Float = 0,
                         smoothing: LabelSmoothing = .pytorch) -> Tensor {
    precondition(logits.rank == 2, "cross_entropy: logits must be [N, K], got \(logits.shape)")
    precondition(labels.count == logits.shape[0], "cross_entropy: \(labels.count) labels for a batch of \(logits.shape[0])")
    let (n, k) = (logits.shape[0], logits.shape[1])
    precondition(n > 0 && k > 0, "cross_entropy: empty logits \(logits.shape)")
    for (i, l) in labels.enumerated() { precondition(l >= 0 && l < k, "cross_entropy: label \(l) at position \(i) is outside 0..<\(k)") }
    precondition(epsilon >= 0 && epsilon <= 1, "cross_entropy: label smoothing must be in [0, 1], got \(epsilon)")
    if logits.isMeta { return Tensor(meta: []).traced("cross_entropy", [logits], saved: logits.count) }
    let logp = SoftmaxKernel.forward(logits, log: true)
    let (hit, miss) = SoftmaxKernel.smoothedTarget(classes: k, epsilon: epsilon, smoothing: smoothing)
    var total: Double = 0
    for r in 0..<n {
        let row = logp.storage.base + r * k
        var rowSum: Double = 0   // Σ_j log p_j, for the ε spread over every class
        if miss != 0 { for j in 0..<k { rowSum += Double(row[j]) } }
        let y = row[labels[r]]
        total -= Double(miss) * (rowSum - Double(y)) + Double(hit) * Double(y)
    }
    let loss = Tensor(scalar: Float(total / Double(n)))
    return loss.traced("cross_entropy", [logits], saved: logits.count)
        .recording("cross_entropy", [logits]) { g, _ in
            // dL/dx = (softmax − t)·g/N, the softmax recovered from the saved log-probabilities
            let d = Tensor(uninitialized: [n, k]), scale = g.item() / Float(n)
            for r in 0..<n {
                for j in 0..<k {
                    let o = r * k + j
                    let t = j == labels[r] ? hit : miss
                    d.storage.base[o] = (Foundation.exp(logp.storage.base[o]) - t) * scale
                }
            }
            return [d]
        }
}
