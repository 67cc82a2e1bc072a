import Testing
import CNN
import Zoo
import _TestSupport

// Module.foldBatchNorms on the zoo's networks: which pairs fold (counted from the architectures:
// torchvision's ResNet-18 has 20 BatchNorm2d layers and ResNet-50 53, each right after a
// convolution; DenseNet-121 has 121, of which norm0 and the 58 dense layers' norm2 follow a
// convolution directly, while norm1, the transitions' norms and norm5 read a concatenation; every
// one of GoogLeNet's 57 BasicConv2d is a convolution and its batch norm), and that the folded
// network computes what the original does in evaluation mode.

/// Gives every batch norm of `model` non-trivial running statistics and affine parameters, so
/// that folding changes the weights for real.
private func randomizeBatchNorms(_ model: Module, seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    for (_, m) in model.namedModules() {
        guard let bn = m as? BatchNorm2D else { continue }
        for i in 0..<bn.channels {
            bn.runningMean.storage.base[i] = Float.random(in: -0.5...0.5, using: &generator)
            bn.runningVariance.storage.base[i] = Float.random(in: 0.5...2, using: &generator)
            bn.weight?.storage.base[i] = Float.random(in: 0.5...1.5, using: &generator)
            bn.bias?.storage.base[i] = Float.random(in: -0.3...0.3, using: &generator)
        }
    }
}

struct FoldCase: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [Int]
    let folds: Int
    let make: @Sendable () -> Module
    var testDescription: String { name }
}

let foldCases: [FoldCase] = [
    FoldCase(name: "ResNet-18", input: [2, 3, 64, 64], folds: 20) { ResNet(depth: 18) },
    FoldCase(name: "ResNet-50", input: [1, 3, 64, 64], folds: 53) { ResNet(depth: 50) },
    FoldCase(name: "DenseNet-121", input: [1, 3, 64, 64], folds: 59) { DenseNet(depth: 121) },
    FoldCase(name: "GoogLeNet (batch-norm variant)", input: [1, 3, 96, 96], folds: 57) { GoogLeNet() },
    FoldCase(name: "CIFAR ResNet-20, option B shortcuts", input: [3, 3, 32, 32], folds: 21) { CIFARResNet(depth: 20, shortcut: .optionB) },
    FoldCase(name: "CIFAR plain-20", input: [3, 3, 32, 32], folds: 19) { CIFARResNet(depth: 20, shortcut: .none) },
]

@Suite("Folding batch norm into convolutions")
struct FoldBatchNormTests {
    @Test("the folded network computes the same outputs, with every foldable pair folded", arguments: foldCases)
    func foldedEqualsOriginal(_ c: FoldCase) {
        Random.seed(7)
        let model = c.make()
        randomizeBatchNorms(model, seed: 8)
        model.eval()
        let x = Tensor.randomNormal(c.input, seed: 9)
        let before = withNoGrad { model(x) }.scalars
        let pairs = model.foldBatchNorms(input: c.input)
        #expect(pairs.count == c.folds, "\(c.name): \(pairs.count) pairs folded")
        let after = withNoGrad { model(x) }.scalars
        #expect(isApproximatelyEqual(after, before, rtol: 1e-3, atol: 1e-4),
                "\(c.name): worst \(String(describing: worstMismatch(after, before, rtol: 1e-3, atol: 1e-4)))")
        // a second call finds nothing left to fold
        #expect(model.foldBatchNorms(input: c.input).isEmpty)
    }

    @Test("pair names: each convolution with the batch norm after it; a bias is added where there was none")
    func pairNames() throws {
        let model = ResNet(depth: 18)
        model.eval()
        let pairs = model.foldBatchNorms(input: [1, 3, 64, 64])
        let names = pairs.map { "\($0.convolution) -> \($0.batchNorm)" }
        #expect(names.first == "conv1 -> bn1")
        #expect(names.contains("layer1.0.conv2 -> layer1.0.bn2"))
        #expect(names.contains("layer2.0.downsample.0 -> layer2.0.downsample.1"))
        let conv = try #require(model.namedModules().first { $0.name == "conv1" }?.module as? Conv2D)
        #expect(conv.bias?.shape == [64])
        #expect(model.namedParameters().contains { $0.name == "conv1.bias" })
        let bn = try #require(model.namedModules().first { $0.name == "bn1" }?.module as? BatchNorm2D)
        #expect(bn.isFolded)
        #expect(bn.configuration.contains("folded"))
    }

    @Test("a batch norm after a concatenation or a pooling stays: DenseNet's norm1 and the transitions")
    func readsElsewhereStay() throws {
        let model = DenseNet(depth: 121)
        model.eval()
        let folded = Set(model.foldBatchNorms(input: [1, 3, 64, 64]).map(\.batchNorm))
        #expect(folded.contains("features.norm0"))
        #expect(folded.contains("features.denseblock1.denselayer1.norm2"))
        #expect(!folded.contains("features.denseblock1.denselayer1.norm1"))
        #expect(!folded.contains("features.transition1.norm"))
        #expect(!folded.contains("features.norm5"))
    }
}
