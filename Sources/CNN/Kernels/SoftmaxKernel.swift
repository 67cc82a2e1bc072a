import Foundation

// Row-wise softmax and log-softmax over [N, K], stable (the row maximum is subtracted before
// exp), as a plain reference and a fast version parallel over rows; and the smoothed
// cross-entropy targets.
//
// Legend: n rows (the batch), k classes; x logits, y the result, g its gradient.

package enum SoftmaxKernel {
    /// Plain loops: y = softmax(x) or log softmax(x), row by row.
    package static func forwardReference(_ x: Tensor, log: Bool) -> Tensor {
        let (n, k) = (x.shape[0], x.shape[1])
        let y = Tensor(uninitialized: x.shape)
        for r in 0..<n {
            let row = x.storage.base + r * k, out = y.storage.base + r * k
            var mx = -Float.infinity
            for j in 0..<k { mx = max(mx, row[j]) }
            var s: Double = 0
            for j in 0..<k { s += Double(Foundation.exp(row[j] - mx)) }
            for j in 0..<k { out[j] = log ? row[j] - mx - Float(Foundation.log(s)) : Float(Double(Foundation.exp(row[j] - mx)) / s) }
        }
        return y
    }

    /// The same, parallel over rows; the exponentials are written once and reused.
    package static func forward(_ x: Tensor, log: Bool) -> Tensor {
        let (n, k) = (x.shape[0], x.shape[1])
        let y = Tensor(uninitialized: x.shape)
        let xp = SendablePointer(x.storage.base), yp = SendablePointer(y.storage.base)
        parallelRanges(n, minimumPerTask: max(1, 8192 / max(k, 1))) { rows in
            for r in rows {
                let row = xp.p + r * k, out = yp.p + r * k   // seek: row r
                var mx = -Float.infinity
                for j in 0..<k { mx = max(mx, row[j]) }
                var s: Double = 0
                for j in 0..<k { out[j] = Foundation.exp(row[j] - mx); s += Double(out[j]) }
                if log {
                    // (x − m) − log s, not x − (m + log s): the largest entry keeps its small log-probability
                    let logSum = Float(Foundation.log(s))
                    for j in 0..<k { out[j] = (row[j] - mx) - logSum }
                } else {
                    let inv = Float(1 / s)
                    for j in 0..<k { out[j] *= inv }
                }
            }
        }
        return y
    }

    /// Backward of softmax, dx = y ⊙ (g − Σ_j g·y), or of log-softmax, dx = g − softmax·Σ_j g
    /// (with y the saved output: softmax = exp(y)).
    package static func backward(gradOutput: Tensor, output y: Tensor, log: Bool) -> Tensor {
        let (n, k) = (y.shape[0], y.shape[1])
        let dx = Tensor(uninitialized: y.shape)
        let gp = SendablePointer(gradOutput.storage.base), yp = SendablePointer(y.storage.base)
        let dp = SendablePointer(dx.storage.base)
        parallelRanges(n, minimumPerTask: max(1, 8192 / max(k, 1))) { rows in
            for r in rows {
                let g = gp.p + r * k, yr = yp.p + r * k, d = dp.p + r * k
                var s: Float = 0
                if log {
                    for j in 0..<k { s += g[j] }
                    for j in 0..<k { d[j] = g[j] - Foundation.exp(yr[j]) * s }
                } else {
                    for j in 0..<k { s += g[j] * yr[j] }
                    for j in 0..<k { d[j] = yr[j] * (g[j] - s) }
                }
            }
        }
        return dx
    }

    /// The target distribution of one row: (on the true class, on every other class).
    /// `.pytorch`: 1 − ε + ε/K and ε/K; `.lecture`: 1 − ε and ε/(K − 1).
    @inline(__always)
    package static func smoothedTarget(classes k: Int, epsilon: Float, smoothing: LabelSmoothing) -> (hit: Float, miss: Float) {
        switch smoothing {
        case .pytorch: return (1 - epsilon + epsilon / Float(k), epsilon / Float(k))
        case .lecture: return k > 1 ? (1 - epsilon, epsilon / Float(k - 1)) : (1, 0)
        }
    }
}
