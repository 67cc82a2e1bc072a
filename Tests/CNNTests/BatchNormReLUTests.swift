import Testing
import CNN
import _TestSupport

// BatchNorm2D(x, relu: true), one pass for batch norm then ReLU, against the two ops it replaces:
// bn(x).relu() computes every value with the same float operations (the fused pass clamps
// x·scale + shift where ReLU clamped the stored result; the backward pass masks g by the output
// where ReLU's backward did), so the outputs, the gradients and the running statistics must be
// bit for bit equal, not just close.

struct FusedCase: CustomTestStringConvertible, Sendable {
    let shape: [Int]
    let affine: Bool
    let training: Bool
    var testDescription: String { "\(shape), affine \(affine), \(training ? "training" : "eval")" }
}

let fusedCases: [FusedCase] = [
    FusedCase(shape: [4, 3, 5, 5], affine: true, training: true),
    FusedCase(shape: [2, 16, 8, 8], affine: true, training: false),
    FusedCase(shape: [3, 5, 1, 7], affine: false, training: true),
    FusedCase(shape: [16, 6], affine: true, training: true),
    FusedCase(shape: [2, 8, 3, 3], affine: false, training: false),
]

/// Two identical batch norms with random affine parameters and running statistics.
private func twins(_ c: FusedCase) -> (BatchNorm2D, BatchNorm2D) {
    let channels = c.shape[1]
    let pair = (BatchNorm2D(channels, affine: c.affine), BatchNorm2D(channels, affine: c.affine))
    let gamma = Tensor.randomNormal([channels], mean: 1, std: 0.3, seed: 11).scalars
    let beta = Tensor.randomNormal([channels], std: 0.5, seed: 12).scalars
    let mean = Tensor.randomNormal([channels], std: 0.5, seed: 13).scalars
    let variance = Tensor.randomNormal([channels], seed: 14).scalars.map { 0.5 + abs($0) }
    for bn in [pair.0, pair.1] {
        for i in 0..<channels {
            bn.weight?.storage.base[i] = gamma[i]; bn.bias?.storage.base[i] = beta[i]
            bn.runningMean.storage.base[i] = mean[i]; bn.runningVariance.storage.base[i] = variance[i]
        }
        if c.training { bn.train() } else { bn.eval() }
    }
    return pair
}

@Suite("Batch norm + ReLU in one pass")
struct BatchNormReLUTests {
    @Test("values, gradients and running statistics equal bn(x).relu() bit for bit", arguments: fusedCases)
    func equalsTwoOps(_ c: FusedCase) {
        let (separate, fused) = twins(c)
        let x1 = Tensor.randomNormal(c.shape, mean: 0.2, std: 1.5, seed: 21), x2 = Tensor(shape: c.shape, values: x1.scalars)
        x1.requiresGrad = true; x2.requiresGrad = true
        let g = Tensor.randomNormal(c.shape, seed: 22)
        let y1 = separate(x1).relu(), y2 = fused(x2, relu: true)
        #expect(y2.scalars == y1.scalars)
        #expect(y1.scalars.contains(0) && y1.scalars.contains { $0 > 0 })   // the mask really masks
        (y1 * g).sum().backward()
        (y2 * g).sum().backward()
        #expect(x2.grad?.scalars == x1.grad?.scalars)
        #expect(fused.weight?.grad?.scalars == separate.weight?.grad?.scalars)
        #expect(fused.bias?.grad?.scalars == separate.bias?.grad?.scalars)
        #expect(fused.runningMean.scalars == separate.runningMean.scalars)
        #expect(fused.runningVariance.scalars == separate.runningVariance.scalars)
        #expect(fused.batchesTracked.scalars == separate.batchesTracked.scalars)
    }

    @Test("without relu the call is the layer itself; a folded layer applies ReLU alone")
    func plainAndFolded() {
        let bn = BatchNorm2D(4)
        bn.eval()
        let x = Tensor.randomNormal([2, 4, 3, 3], seed: 31)
        #expect(bn(x, relu: false).scalars == bn(x).scalars)
        let conv = Conv2D(inputChannels: 4, outputChannels: 4, kernelSize: 1)
        let net = Sequential([conv, bn])
        net.eval()
        #expect(net.foldBatchNorms(input: [2, 4, 3, 3]).count == 1)
        #expect(bn(x, relu: true).scalars == x.relu().scalars)
    }
}
