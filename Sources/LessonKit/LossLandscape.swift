// Loss landscapes by filter-normalised random directions (H. Li, Z. Xu, G. Taylor, C. Studer,
// T. Goldstein, "Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018, Section 4):
// draw a Gaussian direction d with the shape of the weights θ, rescale each filter d_{i,j} to the
// norm of the matching filter θ_{i,j} of the trained weights, leave BN parameters and biases
// unperturbed (d = 0 there, the paper's choice), and evaluate L(θ + αδ + βη) on a grid.
import CNN
import Foundation
import Training

/// Rescales each of `filters` equal consecutive chunks of `direction` to the L2 norm of the same
/// chunk of `weights`: d_i ← d_i · ‖θ_i‖ / (‖d_i‖ + 1e-10) (the 1e-10 as in the paper's code).
///
/// - A conv weight [O, I, k, k] has O filters of I·k·k values; a linear weight [O, I] O rows.
public func filterNormalize(_ direction: [Float], like weights: [Float], filters: Int) -> [Float] {
    precondition(direction.count == weights.count, "filterNormalize: direction has \(direction.count) values, weights \(weights.count)")
    precondition(filters > 0 && weights.count % filters == 0, "filterNormalize: \(weights.count) values do not split into \(filters) filters")
    let size = weights.count / filters
    var out = direction
    for f in 0..<filters {
        let r = (f * size)..<((f + 1) * size)
        let dn = sqrt(direction[r].reduce(0.0) { $0 + Double($1) * Double($1) })
        let wn = sqrt(weights[r].reduce(0.0) { $0 + Double($1) * Double($1) })
        let scale = Float(wn / (dn + 1e-10))
        for k in r { out[k] = direction[k] * scale }
    }
    return out
}

/// A direction in a model's parameter space: one array per parameter of `namedParameters()`,
/// all zeros for rank-1 parameters (BN weights and biases, linear and conv biases).
public struct WeightDirection: Sendable {
    public var components: [[Float]]

    /// A filter-normalised Gaussian direction for `model`'s current weights, drawn from `seed`.
    public static func filterNormalized(for model: Module, seed: UInt64) -> WeightDirection {
        let stream = RandomStream(seed: seed)
        return WeightDirection(components: Random.using(stream) {
            model.namedParameters().map { p in
                guard p.tensor.rank >= 2 else { return [Float](repeating: 0, count: p.tensor.count) }
                let d = Tensor.randomNormal(p.tensor.shape).scalars
                return filterNormalize(d, like: p.tensor.scalars, filters: p.tensor.shape[0])
            }
        })
    }

    /// ‖d‖ over all components.
    public var norm: Double { sqrt(components.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + Double($1) * Double($1) } }) }
}

/// Evaluates losses of `model` at θ + Σ cₖ dₖ, restoring θ afterwards. Eval mode (BN uses the
/// trained running statistics), no graph recorded.
public final class LandscapeProbe {
    let model: Module
    let base: [[Float]]
    let parameters: [Tensor]
    let source: TensorBatchSource

    /// `images`/`labels`: the fixed evaluation subset; `batchSize` per forward pass.
    public init(model: Module, images: Tensor, labels: [Int], batchSize: Int = 250) {
        self.model = model
        parameters = model.parameters()
        base = parameters.map(\.scalars)
        source = TensorBatchSource(images: images, labels: labels, batchSize: batchSize, shuffle: false)
    }

    /// Mean cross-entropy and top-1 error at θ + Σ coefficients[k]·directions[k].
    public func evaluate(_ directions: [WeightDirection], _ coefficients: [Double]) -> (loss: Double, error: Double) {
        precondition(directions.count == coefficients.count, "LandscapeProbe.evaluate: \(directions.count) directions, \(coefficients.count) coefficients")
        for (i, p) in parameters.enumerated() {
            p.withUnsafeMutableBufferPointer { w in
                for k in 0..<w.count {
                    var v = base[i][k]
                    for (d, c) in zip(directions, coefficients) { v += Float(c) * d.components[i][k] }
                    w[k] = v
                }
            }
        }
        defer { restore() }
        let m = Training.evaluate(model: model, on: source, loss: { crossEntropy(logits: $0, labels: $1) })
        return (m.loss, 1 - m.top1)
    }

    /// Puts the trained weights back.
    public func restore() {
        for (i, p) in parameters.enumerated() { p.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: base[i], count: base[i].count) } }
    }
}

/// A square grid of losses over [-extent, extent]²: `values[row * steps + column]` with row
/// following β (the second direction) upwards and column following α.
public struct LossGrid: Codable, Sendable {
    public var name: String
    public var steps: Int
    public var extent: Double
    public var values: [Double]

    public init(name: String, steps: Int, extent: Double, values: [Double]) {
        self.name = name; self.steps = steps; self.extent = extent; self.values = values
    }

    /// The coordinates of the grid's points along one axis.
    public var coordinates: [Double] { (0..<steps).map { -extent + 2 * extent * Double($0) / Double(steps - 1) } }
    public var center: Double { values[(steps / 2) * steps + steps / 2] }

    /// Computes the grid with `probe` along `(d1, d2)` (`steps` odd, so θ itself is a point).
    public static func compute(_ name: String, probe: LandscapeProbe, _ d1: WeightDirection, _ d2: WeightDirection,
                               steps: Int, extent: Double) -> LossGrid {
        precondition(steps >= 3 && steps % 2 == 1, "LossGrid.compute: steps \(steps) must be odd and >= 3")
        var grid = LossGrid(name: name, steps: steps, extent: extent, values: [])
        let c = grid.coordinates
        for b in c { for a in c { grid.values.append(probe.evaluate([d1, d2], [a, b]).loss) } }
        return grid
    }

    /// Share of interior points where the finite-difference Hessian of the slice,
    /// [[L_αα, L_αβ], [L_αβ, L_ββ]], has a negative eigenvalue (the surface bends down somewhere
    /// there: non-convex); 0 for a convex bowl. Li et al. map |λmin/λmax| of the full Hessian;
    /// this is the same question asked of the 2-D slice the plots show.
    public var nonConvexShare: Double {
        let h = 2 * extent / Double(steps - 1)
        func v(_ r: Int, _ c: Int) -> Double { values[r * steps + c] }
        var negative = 0, total = 0
        for r in 1..<(steps - 1) {
            for c in 1..<(steps - 1) {
                let faa = (v(r, c + 1) - 2 * v(r, c) + v(r, c - 1)) / (h * h)
                let fbb = (v(r + 1, c) - 2 * v(r, c) + v(r - 1, c)) / (h * h)
                let fab = (v(r + 1, c + 1) - v(r + 1, c - 1) - v(r - 1, c + 1) + v(r - 1, c - 1)) / (4 * h * h)
                let minEigen = (faa + fbb) / 2 - sqrt(((faa - fbb) / 2) * ((faa - fbb) / 2) + fab * fab)
                total += 1
                if minEigen < 0 { negative += 1 }
            }
        }
        return Double(negative) / Double(total)
    }

    /// Mean loss over the grid points at distance ≈ `radius` from the centre (within half a grid
    /// step), minus the loss at the centre: how much the loss rises a fixed distance away.
    public func rise(atRadius radius: Double) -> Double {
        let c = coordinates, h = 2 * extent / Double(steps - 1)
        var sum = 0.0, n = 0
        for r in 0..<steps { for k in 0..<steps where abs((c[k] * c[k] + c[r] * c[r]).squareRoot() - radius) <= h / 2 {
            sum += values[r * steps + k]; n += 1 } }
        precondition(n > 0, "LossGrid.rise: no grid point near radius \(radius)")
        return sum / Double(n) - center
    }
}
