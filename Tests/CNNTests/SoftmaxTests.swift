import Foundation
import Testing
import CNN
import _TestSupport

@Suite("Softmax and log-softmax")
struct SoftmaxTests {
    @Test func handWorkedRow() {
        // e^1, e^2, e^3 over their sum 30.19287...
        let x = Tensor(shape: [1, 3], values: [1, 2, 3])
        let total = exp(1.0) + exp(2.0) + exp(3.0)
        #expect(isApproximatelyEqual(softmax(x).scalars, [1, 2, 3].map { Float(exp($0) / total) }, rtol: 1e-6, atol: 0))
        #expect(isApproximatelyEqual(logSoftmax(x).scalars, [1, 2, 3].map { Float($0 - log(total)) }, rtol: 1e-6, atol: 0))
    }

    @Test func stableForLargeLogits() {
        // exp(1000) overflows Float; with the row maximum subtracted the result is exact.
        let x = Tensor(shape: [2, 2], values: [1000, 1000, -1000, 0])
        #expect(softmax(x).scalars == [0.5, 0.5, 0, 1])
        let lp = logSoftmax(x).scalars
        #expect(isApproximatelyEqual(lp, [-Float(log(2.0)), -Float(log(2.0)), -1000, 0], rtol: 1e-6, atol: 0))
        #expect(lp.allSatisfy { $0.isFinite })
    }

    @Test(arguments: [[1, 1], [7, 10], [64, 1000], [300, 3]])
    func fastKernelMatchesReference(shape: [Int]) {
        let x = Tensor.randomNormal(shape, std: 4, seed: UInt64(shape[1]))
        for log in [false, true] {
            let ref = SoftmaxKernel.forwardReference(x, log: log), fast = SoftmaxKernel.forward(x, log: log)
            #expect(isApproximatelyEqual(fast.scalars, ref.scalars, rtol: 1e-5, atol: 1e-6), "log \(log) \(shape)")
        }
    }

    @Test func rowsSumToOne() {
        let p = softmax(Tensor.randomNormal([5, 9], std: 3, seed: 12))
        for r in 0..<5 {
            let s = (0..<9).reduce(Float(0)) { $0 + p[r, $1] }
            #expect(abs(s - 1) < 1e-6)
        }
    }

    @Test(arguments: ["softmax", "log_softmax"])
    func gradient(of op: String) {
        let x = leaf([4, 6], seed: 13, scale: 2)
        let result = checkGradient(inputs: [x], step: 1e-2) { t in op == "softmax" ? softmax(t[0]) : logSoftmax(t[0]) }
        #expect(result.passed, "\(op): \(result)")
    }
}
