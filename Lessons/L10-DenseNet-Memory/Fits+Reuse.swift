// The lesson's small numerical helpers: least-squares polynomial fits of the memory curves and
// the feature-reuse matrix of a trained dense block (the analogue of Figure 5 of Huang et al.).
import CNN
import Foundation
import Zoo

/// Least-squares coefficients c₀…c_d of y ≈ Σ cᵢ xⁱ (normal equations, Gaussian elimination in Double).
func polynomialFit(x: [Double], y: [Double], degree: Int) -> [Double] {
    precondition(x.count == y.count && x.count > degree, "polynomialFit: \(x.count) points for degree \(degree)")
    let n = degree + 1
    var a = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n)
    for (xi, yi) in zip(x, y) {
        let powers = (0..<(2 * n)).map { pow(xi, Double($0)) }
        for r in 0..<n {
            for c in 0..<n { a[r][c] += powers[r + c] }
            a[r][n] += powers[r] * yi
        }
    }
    for col in 0..<n {
        let pivot = (col..<n).max { abs(a[$0][col]) < abs(a[$1][col]) }!
        a.swapAt(col, pivot)
        for r in 0..<n where r != col {
            let f = a[r][col] / a[col][col]
            for c in col...n { a[r][c] -= f * a[col][c] }
        }
    }
    return (0..<n).map { a[$0][n] / a[$0][$0] }
}

/// Coefficient of determination of a fit.
func rSquared(x: [Double], y: [Double], coefficients: [Double]) -> Double {
    let mean = y.reduce(0, +) / Double(y.count)
    let predicted = x.map { xi in coefficients.enumerated().reduce(0) { $0 + $1.element * pow(xi, Double($1.offset)) } }
    let residual = zip(y, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    return 1 - residual / total
}

/// Mean |w| of the 1x1 weights from each source of a dense block into each later consumer.
///
/// Sources: s = 0 is the block's input (c₀ channels), s = 1…L the layers' outputs (k channels
/// each). Targets: the L layers' bottleneck convolutions (layer ℓ reads sources 0…ℓ−1), then
/// `after` (the transition's 1x1 conv or the classifier, which read all L + 1 sources).
/// Returns rows = sources, columns = targets; a cell with no connection is nil.
func reuseMatrix(_ block: DenseBlock, inputChannels c0: Int, growthRate k: Int, after: Tensor) -> [[Double?]] {
    let L = block.layers.count
    func meanAbs(_ w: Tensor, source s: Int) -> Double {
        // w is [out, in, 1, 1] or [out, in]: a column block of the input channels of source s.
        let out = w.shape[0], cin = w.shape[1], inner = w.count / (out * cin)
        let range = s == 0 ? 0..<c0 : (c0 + (s - 1) * k)..<(c0 + s * k)
        let v = w.scalars
        var sum = 0.0
        for o in 0..<out { for c in range { for i in 0..<inner { sum += Double(abs(v[(o * cin + c) * inner + i])) } } }
        return sum / Double(out * range.count * inner)
    }
    var rows = [[Double?]](repeating: [Double?](repeating: nil, count: L + 1), count: L + 1)
    for (t, layer) in block.layers.enumerated() {
        for s in 0...t { rows[s][t] = meanAbs(layer.conv1.weight, source: s) }
    }
    for s in 0...L { rows[s][L] = meanAbs(after, source: s) }
    return rows
}

/// Each target column divided by its largest entry (so every consumer's strongest source is 1).
func normalisedByColumn(_ m: [[Double?]]) -> [[Double?]] {
    guard let columns = m.first?.count else { return m }
    var out = m
    for c in 0..<columns {
        let top = m.compactMap { $0[c] }.max() ?? 1
        for r in m.indices { out[r][c] = m[r][c].map { $0 / top } }
    }
    return out
}
