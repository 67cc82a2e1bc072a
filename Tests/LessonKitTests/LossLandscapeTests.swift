import CNN
import Foundation
import LessonKit
import Testing
import Zoo

/// Filter normalisation and the landscape measures, against values worked by hand.
@Suite("Loss landscapes")
struct LossLandscapeTests {
    @Test func filterNormalizeByHand() {
        // Filter norms of θ: 5 and 1; of d: 1 and 2.
        let out = filterNormalize([1, 0, 0, 0, 0, 2, 0, 0], like: [3, 4, 0, 0, 1, 0, 0, 0], filters: 2)
        #expect(out == [5, 0, 0, 0, 0, 1, 0, 0])
        // One filter (the whole layer): scale √26 / √5.
        let whole = filterNormalize([1, 0, 0, 0, 0, 2, 0, 0], like: [3, 4, 0, 0, 1, 0, 0, 0], filters: 1)
        let s = Float((26.0 / 5).squareRoot())
        #expect(abs(whole[0] - s) < 1e-5 && abs(whole[5] - 2 * s) < 1e-5)
    }

    @Test func directionMatchesEveryFilterAndSkipsBatchNormAndBiases() {
        let model = Random.using(RandomStream(seed: 3)) { CIFARResNet(depth: 8, inputChannels: 1) }
        let d = WeightDirection.filterNormalized(for: model, seed: 11)
        let again = WeightDirection.filterNormalized(for: model, seed: 11)
        #expect(d.components == again.components)
        for ((name, p), c) in zip(model.namedParameters(), d.components) {
            #expect(c.count == p.count, "\(name)")
            if p.rank < 2 { #expect(c.allSatisfy { $0 == 0 }, "\(name) must not be perturbed"); continue }
            let w = p.scalars, size = p.count / p.shape[0]
            for f in 0..<p.shape[0] {
                let r = (f * size)..<((f + 1) * size)
                let wn = sqrt(w[r].reduce(0) { $0 + $1 * $1 }), dn = sqrt(c[r].reduce(0) { $0 + $1 * $1 })
                #expect(abs(wn - dn) <= 1e-4 * max(1, wn), "\(name) filter \(f): \(wn) vs \(dn)")
            }
        }
    }

    func grid(_ f: (Double, Double) -> Double) -> LossGrid {
        var g = LossGrid(name: "f", steps: 9, extent: 1, values: [])
        for b in g.coordinates { for a in g.coordinates { g.values.append(f(a, b)) } }
        return g
    }

    @Test func convexityShare() {
        #expect(grid { $0 * $0 + $1 * $1 }.nonConvexShare == 0)
        #expect(grid { $0 * $0 + 0.5 * $0 * $1 + $1 * $1 }.nonConvexShare == 0)   // still positive definite
        #expect(grid { $0 * $0 - $1 * $1 }.nonConvexShare == 1)                   // a saddle everywhere
        #expect(grid { -($0 * $0) - $1 * $1 }.nonConvexShare == 1)
    }

    @Test func riseOfABowl() {
        // Grid spacing 0.25; points within 0.125 of radius 0.5: the four (±0.5, 0), (0, ±0.5) with
        // value 0.25 and the eight (±0.25, ±0.5), (±0.5, ±0.25) with 0.3125. Mean 3.5 / 12.
        let g = grid { $0 * $0 + $1 * $1 }
        #expect(abs(g.rise(atRadius: 0.5) - 3.5 / 12) < 1e-12)
        #expect(g.center == 0)
    }

    @Test func probeRestoresTheWeightsAndMatchesADirectEvaluation() {
        let model = Random.using(RandomStream(seed: 5)) { CIFARResNet(depth: 8, inputChannels: 1) }
        model.eval()
        let x = Tensor.randomNormal([6, 1, 32, 32], seed: 9), labels = [0, 1, 2, 3, 4, 5]
        let before = model.parameters().map(\.scalars)
        let probe = LandscapeProbe(model: model, images: x, labels: labels, batchSize: 4)
        let d = WeightDirection.filterNormalized(for: model, seed: 1)
        let atZero = probe.evaluate([d], [0]).loss
        let moved = probe.evaluate([d], [0.5]).loss
        #expect(model.parameters().map(\.scalars) == before)
        let direct = Double(withNoGrad { crossEntropy(logits: model(x), labels: labels).item() })
        #expect(abs(atZero - direct) < 1e-4 * max(1, abs(direct)))
        // Moving the weights by hand gives the same loss as the probe.
        for (p, c) in zip(model.parameters(), d.components) {
            p.withUnsafeMutableBufferPointer { w in for k in 0..<w.count { w[k] += 0.5 * c[k] } }
        }
        let byHand = Double(withNoGrad { crossEntropy(logits: model(x), labels: labels).item() })
        #expect(abs(moved - byHand) < 1e-4 * max(1, abs(byHand)))
        #expect(abs(moved - atZero) > 1e-6)
    }
}
