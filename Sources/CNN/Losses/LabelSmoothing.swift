/// How label smoothing spreads ε over the classes (Szegedy et al. 2016, Inception-v3).
public enum LabelSmoothing: String, Sendable, CaseIterable {
    /// PyTorch's `CrossEntropyLoss(label_smoothing: ε)`: ε/K on every class, the true class
    /// included, so the true class gets 1 - ε + ε/K. The paper's q' = (1 - ε) δ + ε u(k).
    case pytorch
    /// The lecture slide: 1 - ε on the true class and ε/(K - 1) on each of the other K - 1.
    case lecture
}

/// Soft target vectors for `labels` over `classes` classes, one row per label.
///
///     .pytorch:  y[k] = (1 - ε) · [k == label] + ε / K
///     .lecture:  y[k] = 1 - ε  if k == label,  ε / (K - 1) otherwise
///
/// Each row sums to 1. With ε = 0 both give one-hot rows. For K = 10, ε = 0.1:
/// PyTorch 0.91 / 0.01, lecture 0.9 / 0.0111….
///
/// - Shape: labels [N] → [N, classes]
public func smoothedTargets(labels: [Int], classes: Int, epsilon: Float,
                            convention: LabelSmoothing = .pytorch) -> Tensor {
    precondition(classes >= 2, "smoothedTargets: needs at least 2 classes, got \(classes)")
    precondition(epsilon >= 0 && epsilon <= 1, "smoothedTargets: epsilon \(epsilon) must be in [0, 1]")
    for (i, l) in labels.enumerated() {
        precondition(l >= 0 && l < classes, "smoothedTargets: label \(l) at index \(i) is outside 0..<\(classes)")
    }
    let (on, off): (Float, Float)
    switch convention {
    case .pytorch: (on, off) = (1 - epsilon + epsilon / Float(classes), epsilon / Float(classes))
    case .lecture: (on, off) = (1 - epsilon, epsilon / Float(classes - 1))
    }
    let y = Tensor.full([labels.count, classes], off)
    for (i, l) in labels.enumerated() { y.storage.base[i * classes + l] = on }
    return y
}
