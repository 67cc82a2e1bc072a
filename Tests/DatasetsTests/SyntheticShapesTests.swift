import Foundation
import Testing
import Datasets

@Suite("Synthetic shapes")
struct SyntheticShapesTests {
    @Test func seededBalancedAndStable() {
        let a = SyntheticShapes.make(count: 40, classCount: 4, size: 16, seed: 3)
        let b = SyntheticShapes.make(count: 80, classCount: 4, size: 16, seed: 3)
        #expect(a.labelHistogram() == [10, 10, 10, 10])
        #expect((0..<40).allSatisfy { a.item($0) == b.item($0) })    // more items keep the earlier ones
        #expect(SyntheticShapes.make(count: 40, classCount: 4, size: 16, seed: 4).item(0) != a.item(0))
        #expect(a.classNames == ["horizontal bar", "vertical bar", "square", "ring"])
        let colour = SyntheticShapes.make(count: 8, classCount: 8, size: 20, channels: 3, seed: 1)
        #expect(colour.imageShape == [3, 20, 20])
        #expect(colour.item(0).image.pixels.allSatisfy { (0...1).contains($0) })
    }

    @Test func shapesAreBrighterThanTheBackground() {
        // The mean brightness on the shape's pixels beats the background by far, in every class.
        let data = SyntheticShapes.make(count: 64, classCount: 8, size: 16, noise: 0.05, seed: 9)
        for i in 0..<8 {
            let p = data.item(i).image.pixels
            #expect(p.filter { $0 > 0.45 }.count >= 6, "class \(i) draws too few pixels")
            #expect(p.filter { $0 < 0.3 }.count >= 100, "class \(i) covers too much")
        }
    }

    /// Learnability: softmax regression (plain Swift, full-batch gradient descent) trained on 480
    /// images classifies 480 held-out ones at >= 80 % (chance: 25 %; measured 417/480 = 87 %).
    /// A linear model has no translation invariance, so a small CNN does better still.
    @Test func learnableByALinearClassifier() {
        let data = SyntheticShapes.make(count: 960, classCount: 4, size: 12, seed: 21)
        let train = data.subset(0..<480), test = data.subset(480..<960)
        let d = 144, k = 4
        var w = [Float](repeating: 0, count: k * d), bias = [Float](repeating: 0, count: k)
        func logits(_ x: [Float]) -> [Float] {
            (0..<k).map { c in bias[c] + (0..<d).reduce(0) { $0 + w[c * d + $1] * x[$1] } }
        }
        let xs = (0..<train.count).map { train.item($0).image.pixels }
        for _ in 0..<150 {
            var gw = [Float](repeating: 0, count: k * d), gb = [Float](repeating: 0, count: k)
            for (i, x) in xs.enumerated() {
                let z = logits(x), m = z.max()!
                let e = z.map { Foundation.exp($0 - m) }, s = e.reduce(0, +)
                for c in 0..<k {
                    let g = e[c] / s - (c == train.label(i) ? 1 : 0)
                    gb[c] += g
                    for j in 0..<d { gw[c * d + j] += g * x[j] }
                }
            }
            let lr = Float(0.5) / Float(xs.count)
            for j in 0..<(k * d) { w[j] -= lr * gw[j] }
            for c in 0..<k { bias[c] -= lr * gb[c] }
        }
        let correct = (0..<test.count).filter { i in
            let z = logits(test.item(i).image.pixels)
            return z.firstIndex(of: z.max()!) == test.label(i)
        }.count
        #expect(correct >= 384, "held-out accuracy \(correct)/480")
    }
}
