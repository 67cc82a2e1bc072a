import Testing
import CNN
import _TestSupport

// Expected values: PyTorch 2.x (nn.BatchNorm2d), printed by Tests/Scripts/norm_loss_reference.py.

@Suite("Batch norm against PyTorch")
struct BatchNormReferenceTests {
    /// Two training steps of BatchNorm2d(3) with γ = [1.5, −0.5, 2], β = [0.1, 0.2, −0.3], then eval.
    @Test func runningStatisticsAfterTwoSteps() {
        let bn = BatchNorm2D(3)
        bn.weight!.assign(Tensor(shape: [3], values: [1.5, -0.5, 2]))
        bn.bias!.assign(Tensor(shape: [3], values: [0.1, 0.2, -0.3]))
        let x1 = closedFormWave([4, 3, 2, 2], scale: 3, a: 0.9, b: 0.1) + 1
        let x2 = closedFormWave([4, 3, 2, 2], scale: 2, a: 0.45, b: 1.2) + (-0.5)
        _ = bn(x1)
        let y2 = bn(x2)
        #expect(isApproximatelyEqual(bn.runningMean.scalars, [0.110040545, 0.09906802, -0.04002931], rtol: 1e-5, atol: 1e-6))
        #expect(isApproximatelyEqual(bn.runningVariance.scalars, [1.4207648, 1.3994857, 1.3804247], rtol: 1e-5, atol: 1e-6))
        #expect(bn.batchesTracked.item() == 2)
        let expectedY2: [Float] = [
            1.6014284, 1.7469846, 1.4468824, 0.76087385, 0.378192, 0.74309146, 1.058395, 1.2613239, -2.3693829,
            -1.8711842, -0.7521196, 0.7649979, 0.20820096, 1.066602, 1.6148126, 1.7436811, -0.2073051, 0.04786796,
            0.39186817, 0.75620306, -1.2937347, -2.168682, -2.3635309, -1.839485, -1.6961026, -0.7520169, 0.24397616,
            1.0935684, -0.28041998, -0.32140633, -0.2000409, 0.059511736, 1.6382724, 0.029427407, -1.336975, -2.1888762,
            -2.720171, -2.3801632, -1.6640743, -0.7144825, 0.21226624, -0.09493439, -0.28487507, -0.31973752, 4.284472,
            3.1171746, 1.5775315, -0.027905513,
        ]
        #expect(isApproximatelyEqual(y2.scalars, expectedY2, rtol: 1e-5, atol: 2e-6), "\(String(describing: worstMismatch(y2.scalars, expectedY2, rtol: 1e-5, atol: 2e-6)))")
        bn.eval()
        let expectedEval: [Float] = [
            1.5968502, 4.3967443, 4.7925043, 2.4846265, 0.49102908, 1.0791783, 0.7138149, -0.32856154, 5.813339,
            6.2744465, 3.0999353, -1.3077871, -2.5381062, -1.398305, 1.7229396, 4.4635324, -1.3661911, -0.5651237,
            0.526806, 1.0832474, -2.0089042, 2.235768, 5.901213, 6.2134957, 2.3036563, -0.9392324, -2.5480945,
            -1.3053753, -0.39187175, -1.2913638, -1.3503895, -0.5242795, -1.5203099, -3.6311507, -1.8812511, 2.4050996,
            4.556814, 4.677394, 2.1814492, -1.0421383, 1.0866697, 0.6351986, -0.43379015, -1.3113073, 6.112036,
            2.6877632, -1.6577977, -3.6360126,
        ]
        let ye = bn(x1)
        #expect(isApproximatelyEqual(ye.scalars, expectedEval, rtol: 1e-5, atol: 2e-6), "\(String(describing: worstMismatch(ye.scalars, expectedEval, rtol: 1e-5, atol: 2e-6)))")
        #expect(bn.batchesTracked.item() == 2)
    }
}
