import Testing
import CNN
import _TestSupport

@Suite("Dropout")
struct DropoutTests {
    @Test func fastKernelMatchesReferenceForTheSameSeed() {
        let x = Tensor.randomNormal([4, 3, 40, 40], seed: 2)
        var g1 = SeededGenerator(seed: 17), g2 = SeededGenerator(seed: 17)
        let ref = DropoutKernel.forwardReference(x, probability: 0.3, generator: &g1)
        let fast = DropoutKernel.forward(x, probability: 0.3, generator: &g2)
        #expect(fast.mask.scalars == ref.mask.scalars)
        #expect(fast.output.scalars == ref.output.scalars)
        #expect(g1.next() == g2.next())   // both consumed one draw per element
    }

    @Test func invertedScalingAndDropRate() {
        var gen = SeededGenerator(seed: 5)
        let y = dropout(Tensor.ones([100_000]), probability: 0.4, training: true, generator: &gen).scalars
        #expect(Set(y) == [0, 1 / 0.6 as Float])   // kept values scaled by 1/(1 − p)
        let dropped = Double(y.filter { $0 == 0 }.count) / Double(y.count)
        #expect(abs(dropped - 0.4) < 0.01, "drop rate \(dropped)")   // 0.4 ± 6σ (σ ≈ 0.0015)
        let mean = y.reduce(0, +) / Float(y.count)
        #expect(abs(mean - 1) < 0.02, "mean \(mean) (inverted dropout keeps the expectation)")
    }

    @Test func evaluationAndZeroProbabilityAreTheIdentity() {
        let x = Tensor.randomNormal([3, 4], seed: 1)
        #expect(dropout(x, probability: 0.5, training: false) === x)
        #expect(dropout(x, probability: 0, training: true) === x)
        let layer = Dropout(probability: 0.5)
        layer.eval()
        #expect(layer(x) === x)
        var gen = SeededGenerator(seed: 3)
        #expect(dropout(x, probability: 1, training: true, generator: &gen).scalars == [Float](repeating: 0, count: 12))
    }

    @Test func backwardUsesTheSavedMask() {
        let x = leaf([2, 50], seed: 4)
        var gen = SeededGenerator(seed: 9)
        let y = dropout(x, probability: 0.5, training: true, generator: &gen)
        y.sum().backward()
        // dy/dx is the mask: 2 where kept (y = 2x), 0 where dropped.
        let expected = y.scalars.map { $0 == 0 ? Float(0) : 2 }
        #expect(x.grad!.scalars == expected)
    }

    @Test func gradientWithAFixedSeed() {
        let x = leaf([3, 5, 2, 2], seed: 6)
        let result = checkGradient(inputs: [x]) { t in
            var gen = SeededGenerator(seed: 42)   // the same mask in every evaluation
            return dropout(t[0], probability: 0.3, training: true, generator: &gen)
        }
        #expect(result.passed, "\(result)")
    }
}
