import Testing
import CNN
import Zoo

/// `zeroInitResidual` (Goyal et al. 2017; torchvision's `zero_init_residual=True`): each residual
/// block's last BN starts with γ = 0, so the block starts as relu(shortcut(x)).
@Suite("CIFAR ResNet zero-initialised residual branches")
struct ZeroInitResidualTests {
    private func blocks(_ net: CIFARResNet) -> [CIFARBlock] {
        net.layers.flatMap(\.layers).map { $0 as! CIFARBlock }
    }

    @Test func lastGammaOfEveryBlockIsZeroAndNothingElseChanges() {
        let zeroed = Random.using(RandomStream(seed: 5)) { CIFARResNet(depth: 20, inputChannels: 1, zeroInitResidual: true) }
        let standard = Random.using(RandomStream(seed: 5)) { CIFARResNet(depth: 20, inputChannels: 1) }
        #expect(blocks(zeroed).count == 9)
        for block in blocks(zeroed) {
            #expect(block.bn2.weight!.scalars.allSatisfy { $0 == 0 })
            #expect(block.bn1.weight!.scalars.allSatisfy { $0 == 1 })
        }
        #expect(blocks(standard).allSatisfy { $0.bn2.weight!.scalars.allSatisfy { $0 == 1 } })
        #expect(zeroed.parameterCount == standard.parameterCount)
        // Only the bn2 weights differ: the option draws no random numbers.
        let differing = zip(zeroed.namedParameters(), standard.namedParameters())
            .filter { $0.0.tensor.scalars != $0.1.tensor.scalars }.map(\.0.name)
        #expect(differing == (1...3).flatMap { s in (0..<3).map { "layer\(s).\($0).bn2.weight" } })
    }

    /// A stride-1 block fed non-negative activations (what a ReLU hands it) outputs its input;
    /// the downsampling block outputs the option-A shortcut: stride-2 subsampling, zero channels appended.
    @Test func blockOutputAtInitEqualsItsShortcut() {
        let x = Tensor.randomNormal([2, 16, 8, 8], seed: 9).relu()
        for training in [true, false] {
            let same = CIFARBlock(inputChannels: 16, outputChannels: 16, stride: 1, shortcut: .optionA, zeroInitResidual: true)
            if !training { same.eval() }
            #expect(same(x).scalars == x.scalars)

            let down = CIFARBlock(inputChannels: 16, outputChannels: 32, stride: 2, shortcut: .optionA, zeroInitResidual: true)
            if !training { down.eval() }
            let y = down(x)
            #expect(y.shape == [2, 32, 4, 4])
            // By hand: channel c < 16 of image n holds x[n, c, 2i, 2j]; channels 16..<32 are 0.
            let xs = x.scalars
            var expected: [Float] = []
            for n in 0..<2 { for c in 0..<32 { for i in 0..<4 { for j in 0..<4 {
                expected.append(c < 16 ? xs[((n * 16 + c) * 8 + 2 * i) * 8 + 2 * j] : 0)
            } } } }
            #expect(y.scalars == expected)
        }
    }

    /// γ = 0 blocks the gradient to the branch's convs at the first step, but γ itself gets one,
    /// so training can open the branch.
    @Test func gammaStillLearns() {
        let block = CIFARBlock(inputChannels: 4, outputChannels: 4, stride: 1, shortcut: .optionA, zeroInitResidual: true)
        let x = Tensor.randomNormal([3, 4, 5, 5], seed: 2)
        (block(x) * Tensor.randomNormal([3, 4, 5, 5], seed: 4)).sum().backward()
        #expect(block.conv2.weight.grad!.scalars.allSatisfy { $0 == 0 })
        #expect(block.bn2.weight!.grad!.scalars.contains { $0 != 0 })
    }
}
