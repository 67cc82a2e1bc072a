import Testing
import CNN
import _TestSupport

@Suite("Local response normalisation")
struct LRNTests {
    // The lecture's worked example: N = 4 channels all equal to 1, (k, α, β, n) = (0, 1, 1, 2).

    @Test func lectureExampleKrizhevsky() {
        let y = localResponseNorm(Tensor.ones([1, 4, 1, 1]), size: 2, alpha: 1, beta: 1, k: 0, convention: .krizhevsky)
        // Channel 0 sums channels 0 and 1 (channel −1 does not exist): 1 / (1² + 1²) = 0.5.
        #expect(y[0, 0, 0, 0] == 0.5)
        // Channels 1 and 2 see three channels (i − 1 … i + 1), channel 3 two.
        #expect(isApproximatelyEqual(y.scalars, [0.5, 1.0 / 3, 1.0 / 3, 0.5], rtol: 1e-6, atol: 0))
    }

    @Test func lectureExamplePyTorchConvention() {
        // PyTorch: window i − 1 … i, α/size = 1/2. Channel 0 sees only itself: 1 / (0.5·1) = 2;
        // the others see two ones: 1 / (0.5·2) = 1.
        let y = localResponseNorm(Tensor.ones([1, 4, 1, 1]), size: 2, alpha: 1, beta: 1, k: 0, convention: .pytorch)
        #expect(y.scalars == [2, 1, 1, 1])
    }

    @Test func windowsOfBothConventions() {
        let kr = LRNParameters(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky)
        #expect((kr.before, kr.after, kr.alpha) == (2, 2, 1e-4))
        let pt = LRNParameters(size: 4, alpha: 1e-4, beta: 0.75, k: 2, convention: .pytorch)
        #expect((pt.before, pt.after, pt.alpha) == (2, 1, 2.5e-5))
    }

    /// The fast kernels (sliding window, chunked plane, parallel) against the plain loops, over
    /// window sizes (even, odd, wider than C), every special-cased β and a general one, and planes
    /// larger than one chunk.
    @Test(arguments: [
        (size: 5, beta: Float(0.75), shape: [3, 7, 5, 5]),
        (size: 4, beta: Float(0.5), shape: [2, 6, 3, 4]),
        (size: 1, beta: Float(1), shape: [1, 3, 2, 2]),
        (size: 9, beta: Float(0.6), shape: [2, 4, 3, 3]),
        (size: 3, beta: Float(0), shape: [1, 5, 2, 3]),
        (size: 5, beta: Float(0.75), shape: [2, 6, 70, 70]),
    ])
    func fastKernelMatchesReference(size: Int, beta: Float, shape: [Int]) {
        let x = Tensor.randomNormal(shape, std: 3, seed: UInt64(size * 31 + shape[1]))
        let g = Tensor.randomNormal(shape, seed: 99)
        for convention in LRNConvention.allCases {
            let p = LRNParameters(size: size, alpha: 0.3, beta: beta, k: 1.5, convention: convention)
            let ref = LRNKernel.forwardReference(x, p)
            let fast = LRNKernel.forward(x, p, keepScale: true)
            #expect(isApproximatelyEqual(fast.output.scalars, ref.output.scalars, rtol: 2e-5, atol: 1e-6), "\(convention) forward")
            #expect(isApproximatelyEqual(fast.scale!.scalars, ref.scale.scalars, rtol: 2e-5, atol: 1e-6), "\(convention) scale")
            let dRef = LRNKernel.backwardReference(gradOutput: g, input: x, scale: ref.scale, p)
            let dFast = LRNKernel.backward(gradOutput: g, input: x, scale: ref.scale, p)
            #expect(isApproximatelyEqual(dFast.scalars, dRef.scalars, rtol: 1e-4, atol: 1e-5),
                    "\(convention) backward: \(String(describing: worstMismatch(dFast.scalars, dRef.scalars, rtol: 1e-4, atol: 1e-5)))")
        }
    }

    @Test(arguments: [
        (LRNConvention.krizhevsky, 5, Float(0.75)), (.krizhevsky, 2, 1), (.pytorch, 5, 0.75), (.pytorch, 4, 0.6), (.pytorch, 2, 1),
    ])
    func gradient(convention: LRNConvention, size: Int, beta: Float) {
        let x = leaf([2, 6, 2, 3], seed: 11, scale: 1.5)
        let result = checkGradient(inputs: [x], step: 1e-2) { t in
            localResponseNorm(t[0], size: size, alpha: 0.8, beta: beta, k: 1, convention: convention)
        }
        #expect(result.passed, "\(convention) size \(size): \(result)")
    }

    @Test func noGradForwardKeepsNoScaleAndRecordsNothing() {
        let x = leaf([1, 4, 3, 3], seed: 3)
        let y = withNoGrad { localResponseNorm(x, size: 3) }
        #expect(!y.tracksGradient)
        let fast = LRNKernel.forward(x, LRNParameters(size: 3, alpha: 1e-4, beta: 0.75, k: 1, convention: .pytorch), keepScale: false)
        #expect(fast.scale == nil)
    }

    @Test func moduleAndMetaPath() {
        let lrn = LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky)
        let x = Tensor.randomNormal([1, 8, 2, 2], seed: 4)
        #expect(lrn(x).scalars == localResponseNorm(x, size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky).scalars)
        #expect(lrn(Tensor(meta: [32, 96, 55, 55])).shape == [32, 96, 55, 55])
    }
}
