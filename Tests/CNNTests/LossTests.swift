import Foundation
import Testing
import CNN
import _TestSupport

@Suite("Cross-entropy with label smoothing")
struct LossTests {
    @Test func uniformLogitsGiveLogK() {
        let l = crossEntropy(logits: Tensor.zeros([3, 10]), labels: [0, 4, 9])
        #expect(abs(l.item() - Float(log(10.0))) < 1e-6)
        // Smoothing cannot change it: every class has the same log-probability.
        let s = crossEntropy(logits: Tensor.zeros([3, 10]), labels: [0, 4, 9], labelSmoothing: 0.2, smoothing: .lecture)
        #expect(abs(s.item() - Float(log(10.0))) < 1e-6)
    }

    @Test func smoothedTargetsByHand() {
        // One row, K = 3, log p = log_softmax([2, 0, 0]); true class 0, ε = 0.3.
        let x = Tensor(shape: [1, 3], values: [2, 0, 0])
        let z = exp(2.0) + 2, lp = [2 - log(z), -log(z), -log(z)]
        let uniform = -((1 - 0.3 + 0.1) * lp[0] + 0.1 * lp[1] + 0.1 * lp[2])       // ε/K = 0.1
        let others = -((1 - 0.3) * lp[0] + 0.15 * lp[1] + 0.15 * lp[2])           // ε/(K − 1) = 0.15
        #expect(abs(Double(crossEntropy(logits: x, labels: [0], labelSmoothing: 0.3).item()) - uniform) < 1e-6)
        #expect(abs(Double(crossEntropy(logits: x, labels: [0], labelSmoothing: 0.3, smoothing: .lecture).item()) - others) < 1e-6)
    }

    @Test(arguments: [(Float(0), LabelSmoothing.pytorch), (0.1, .pytorch), (0.25, .lecture), (1, .pytorch), (1, .lecture)])
    func gradient(epsilon: Float, smoothing: LabelSmoothing) {
        let x = leaf([5, 7], seed: 31, scale: 2)
        let result = checkGradient(inputs: [x], step: 1e-2) { t in
            crossEntropy(logits: t[0], labels: [0, 6, 3, 3, 1], labelSmoothing: epsilon, smoothing: smoothing)
        }
        #expect(result.passed, "ε \(epsilon) \(smoothing): \(result)")
    }

    @Test func agreesWithLogSoftmaxPicked() {
        // Without smoothing, CE = −mean of the picked log-probabilities.
        let x = Tensor.randomNormal([6, 4], std: 3, seed: 40)
        let labels = [3, 0, 1, 2, 2, 0]
        let lp = logSoftmax(x)
        let picked = labels.enumerated().map { Double(lp[$0.offset, $0.element]) }
        let expected = -picked.reduce(0, +) / 6
        #expect(abs(Double(crossEntropy(logits: x, labels: labels).item()) - expected) < 1e-6)
    }
}
