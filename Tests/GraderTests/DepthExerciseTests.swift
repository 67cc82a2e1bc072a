import Testing
import Grader

/// The depth and landscape exercises, pinned against numbers worked by hand.
@Suite("Depth and landscape exercises")
struct DepthExerciseTests {
    /// CIFAR ResNet-(6n+2), option A, c input channels, counted by hand layer by layer:
    /// conv1 9·16·c, bn1 32; stage 1: n·(2·2304 + 64); stage 2: (4608 + 9216 + 128) + (n−1)(2·9216 + 128);
    /// stage 3: (18432 + 36864 + 256) + (n−1)(2·36864 + 256); fc 650. Sum: 144c + 97216n − 22358.
    func handCount(n: Int, channels: Int, optionB: Bool) -> Int {
        // Option B adds two 1x1 projections with BN: 16·32 + 2·32 + 32·64 + 2·64 = 2752.
        144 * channels + 97_216 * n - 22_358 + (optionB ? 2_752 : 0)
    }

    @Test(arguments: [(3, 3, 0), (9, 3, 0), (5, 1, 0), (18, 1, 1), (9, 3, 1)])
    func cifarResNetParameters(n: Int, channels: Int, shortcut: Int) {
        let ex = Bank.exercise("cifar-resnet-parameters")
        let p = Parameters(["n": .integer(n), "channels": .integer(channels), "shortcut": .integer(shortcut)])
        #expect(ex.parts[0].answer(p).intValue == handCount(n: n, channels: channels, optionB: shortcut == 1))
    }

    @Test func paperTableSixCounts() {
        // He et al. 2016, Table 6: ResNet-20 0.27M, ResNet-56 0.85M (3 channels, option A).
        #expect(handCount(n: 3, channels: 3, optionB: false) == 269_722)
        #expect(handCount(n: 9, channels: 3, optionB: false) == 853_018)
    }

    @Test func forgottenBatchNormIsRecognised() {
        let ex = Bank.exercise("cifar-resnet-parameters")
        let p = Parameters(["n": .integer(3), "channels": .integer(3), "shortcut": .integer(0)])
        // BN parameters of ResNet-20: 2·16 (bn1) + 3·2·2·16 + 3·2·2·32 + 3·2·2·64 = 32 + 192 + 384 + 768 = 1376.
        #expect(ex.parts[0].mistakes.first { $0.id == "batchnorm-forgotten" }?.answer(p).intValue == 269_722 - 1_376)
    }

    @Test func filterNormalizationByHand() {
        let ex = Bank.exercise("filter-normalization")
        // Filter 1: θ = (3, 4, 0, 0), ‖θ‖ = 5; d = (1, 0, 0, 0) → (5, 0, 0, 0).
        // Filter 2: θ = (0, 0, 1, 0), ‖θ‖ = 1; d = (0, 2, 0, 0) → (0, 1, 0, 0).
        let p = Parameters(["w": .reals([3, 4, 0, 0, 0, 0, 1, 0]), "d": .reals([1, 0, 0, 0, 0, 2, 0, 0])])
        let got = ex.parts[0].answer(p).realsValue!
        let want: [Double] = [5, 0, 0, 0, 0, 1, 0, 0]
        #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-5 }, "\(got)")
        // Whole-layer normalisation scales both by ‖θ‖/‖d‖ = √26/√5: the recognised mistake.
        let layer = ex.parts[0].mistakes[0].answer(p).realsValue!
        let s = (26.0 / 5).squareRoot()
        #expect(zip(layer, [s, 0, 0, 0, 0, 2 * s, 0, 0]).allSatisfy { abs($0 - $1) < 1e-5 }, "\(layer)")
    }
}
