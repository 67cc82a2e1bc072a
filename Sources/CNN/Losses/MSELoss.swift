/// Mean squared error, `F.mse_loss(prediction, target)` with reduction "mean":
///
///     L = (1/N) Σᵢ (pᵢ - tᵢ)²          ∂L/∂pᵢ = 2 (pᵢ - tᵢ) / N = -∂L/∂tᵢ
///
/// N counts every element. Shapes must be equal (no broadcasting). Sums in Double.
///
/// - Shape: prediction [*], target [*] (same) → []
public func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape,
                 "mseLoss: prediction \(prediction.shape) and target \(target.shape) differ (no broadcasting)")
    precondition(prediction.count > 0, "mseLoss: empty tensors of shape \(prediction.shape)")
    if prediction.isMeta || target.isMeta { return Tensor(meta: []).traced("mse_loss", [prediction, target]) }
    let n = prediction.count
    let p = prediction.storage.base, t = target.storage.base
    var acc: Double = 0
    for i in 0..<n { let d = Double(p[i]) - Double(t[i]); acc += d * d }
    return Tensor(scalar: Float(acc / Double(n)))
        .traced("mse_loss", [prediction, target])
        .recording("mse_loss", [prediction, target]) { g, needs in
            // L = (1/N) Σ (p - t)²  →  dp = g · 2 (p - t) / N,  dt = -dp
            let scale = 2 * g.item() / Float(n)
            let dp = prediction.zipped(target, "mse_loss backward") { o, p, t, r in for i in r { o[i] = scale * (p[i] - t[i]) } }
            return [needs[0] ? dp : nil, needs[1] ? dp.scaled(by: -1) : nil]
        }
}
