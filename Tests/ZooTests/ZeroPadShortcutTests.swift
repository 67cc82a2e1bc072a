import Testing
import CNN
import Zoo
import _TestSupport

@Suite("Option-A zero-padded shortcut")
struct ZeroPadShortcutTests {
    /// x = arange(2·4·4) as [1, 2, 4, 4]; stride 2 keeps rows/columns 0 and 2; channels 2-3 are zero.
    @Test func forwardValues() {
        let x = Tensor.arange([1, 2, 4, 4])
        let y = zeroPaddedShortcut(x, outputChannels: 4, stride: 2)
        #expect(y.shape == [1, 4, 2, 2])
        #expect(y.scalars == [0, 2, 8, 10, 16, 18, 24, 26, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func oddSizesMatchAPaddedStride2Conv() {
        let y = zeroPaddedShortcut(Tensor(meta: [1, 16, 7, 7]), outputChannels: 32, stride: 2)
        #expect(y.shape == [1, 32, convolutionOutputSize(7, kernel: 3, stride: 2, padding: 1), 4])
    }

    @Test func gradient() {
        let x = Tensor.randomNormal([2, 3, 5, 5], seed: 3)
        x.requiresGrad = true
        let result = checkGradient(inputs: [x]) { zeroPaddedShortcut($0[0], outputChannels: 5, stride: 2) }
        #expect(result.passed, "\(result)")
    }
}
