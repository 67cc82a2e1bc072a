import Testing
import CNN
import _TestSupport

@Suite("Batch normalisation")
struct BatchNormTests {
    @Test func normalisesWithBatchStatistics() {
        // One channel holding 0, 1, 2, 3: μ = 1.5, biased σ² = 1.25, unbiased 5/3.
        let x = Tensor.arange([2, 1, 1, 2])
        let mean = Tensor.zeros([1]), variance = Tensor.ones([1])
        let y = batchNorm(x, weight: nil, bias: nil, runningMean: mean, runningVariance: variance, training: true)
        let inv = 1 / (1.25 + 1e-5 as Float).squareRoot()
        #expect(isApproximatelyEqual(y.scalars, [-1.5 * inv, -0.5 * inv, 0.5 * inv, 1.5 * inv], rtol: 1e-6, atol: 1e-7))
        #expect(isApproximatelyEqual(mean.scalars, [0.15], rtol: 1e-6, atol: 0))                 // 0.9·0 + 0.1·1.5
        #expect(isApproximatelyEqual(variance.scalars, [0.9 + 0.1 * 5 / 3], rtol: 1e-6, atol: 0))  // unbiased
    }

    @Test func evaluationUsesRunningStatistics() {
        let x = Tensor(shape: [1, 2], values: [3, -1])
        let y = batchNorm(x, weight: Tensor(shape: [2], values: [2, 1]), bias: Tensor(shape: [2], values: [0.5, 0]),
                          runningMean: Tensor(shape: [2], values: [1, 0]), runningVariance: Tensor(shape: [2], values: [4, 1]),
                          training: false, epsilon: 0)
        #expect(y.scalars == [2 * (3 - 1) / 2 + 0.5, -1])
    }

    /// Fast statistics, normalisation and backward against the Double reference loops, for
    /// [N, C, H, W] with planes that are and are not multiples of the vector width, and [N, C].
    @Test(arguments: [[4, 3, 5, 5], [2, 5, 8, 8], [3, 2, 1, 7], [16, 6], [2, 64, 12, 12]])
    func fastKernelMatchesReference(shape: [Int]) {
        let x = Tensor.randomNormal(shape, mean: 0.7, std: 2, seed: UInt64(shape.reduce(0, +)))
        let g = Tensor.randomNormal(shape, seed: 5)
        let c = shape[1]
        let gamma = (0..<c).map { 0.5 + Float($0) * 0.25 }
        let ref = BatchNormKernel.statisticsReference(x), fast = BatchNormKernel.statistics(x)
        #expect(isApproximatelyEqual(fast.mean, ref.mean, rtol: 1e-5, atol: 1e-6))
        #expect(isApproximatelyEqual(fast.variance, ref.variance, rtol: 1e-5, atol: 1e-6))
        let invStd = ref.variance.map { 1 / ($0 + 1e-5).squareRoot() }
        let beta = gamma.map { $0 - 1 }
        let yRef = BatchNormKernel.normalizeReference(x, mean: ref.mean, invStd: invStd, weight: gamma, bias: beta)
        let yFast = BatchNormKernel.normalize(x, mean: ref.mean, invStd: invStd, weight: gamma, bias: beta)
        #expect(isApproximatelyEqual(yFast.scalars, yRef.scalars, rtol: 1e-5, atol: 1e-5))
        for training in [true, false] {
            let r = BatchNormKernel.backwardReference(gradOutput: g, input: x, mean: ref.mean, invStd: invStd, weight: gamma, training: training)
            let f = BatchNormKernel.backward(gradOutput: g, input: x, mean: ref.mean, invStd: invStd, weight: gamma, training: training)
            #expect(isApproximatelyEqual(f.dx.scalars, r.dx.scalars, rtol: 1e-4, atol: 1e-5),
                    "training \(training): \(String(describing: worstMismatch(f.dx.scalars, r.dx.scalars, rtol: 1e-4, atol: 1e-5)))")
            #expect(isApproximatelyEqual(f.dWeight, r.dWeight, rtol: 1e-4, atol: 1e-4))
            #expect(isApproximatelyEqual(f.dBias, r.dBias, rtol: 1e-4, atol: 1e-4))
        }
    }

    @Test(arguments: ["train affine", "train plain", "eval affine", "train [N, C]"])
    func gradient(of mode: String) {
        let shape = mode == "train [N, C]" ? [6, 3] : [3, 2, 2, 3]
        let x = leaf(shape, seed: 21, scale: 1.5)
        let affine = mode != "train plain"
        let w = affine ? leaf([shape[1]], seed: 22) : nil
        let b = affine ? leaf([shape[1]], seed: 23) : nil
        let rm = Tensor(shape: [shape[1]], values: (0..<shape[1]).map { Float($0) * 0.3 - 0.2 })
        let rv = Tensor(shape: [shape[1]], values: (0..<shape[1]).map { 0.5 + Float($0) })
        let training = !mode.hasPrefix("eval")
        let result = checkGradient(inputs: [x] + [w, b].compactMap { $0 }, step: 1e-2) { t in
            batchNorm(t[0], weight: affine ? t[1] : nil, bias: affine ? t[2] : nil,
                      runningMean: training ? nil : rm, runningVariance: training ? nil : rv, training: training)
        }
        #expect(result.passed, "\(mode): \(result)")
    }

    @Test func moduleStateDictKeysAndModes() {
        let bn = BatchNorm2D(4)
        #expect(bn.stateDict().map(\.name) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"])
        let x = Tensor.randomNormal([2, 4, 3, 3], mean: 2, seed: 8)
        _ = bn(x)
        #expect(bn.batchesTracked.item() == 1)
        bn.eval()
        let before = bn.runningMean.scalars
        _ = bn(x)
        #expect(bn.runningMean.scalars == before)   // evaluation leaves the statistics alone
        #expect(BatchNorm2D(4, affine: false).parameterCount == 0)
    }
}
