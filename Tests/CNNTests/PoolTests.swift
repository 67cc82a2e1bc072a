import Testing
import CNN
import _TestSupport

@Suite("Pooling: hand-worked values")
struct PoolTests {
    @Test func maxPoolArange() {
        // 4x4 arange, 2x2 windows: the bottom-right corner of each block
        #expect(maxPool2d(Tensor.arange([1, 1, 4, 4]), kernelSize: (2, 2)).scalars == [5, 7, 13, 15])
        // overlapping 3x3 stride 2 on 5x5 (AlexNet's pooling): windows end at (2,2), (2,4), (4,2), (4,4)
        #expect(maxPool2d(Tensor.arange([1, 1, 5, 5]), kernelSize: (3, 3), stride: (2, 2)).scalars == [12, 14, 22, 24])
        // dilation 2, stride 1: taps (0,0) (0,2) (2,0) (2,2), the largest is x[r + 2, q + 2]
        let dilated = maxPool2d(Tensor.arange([1, 1, 5, 5]), kernelSize: (2, 2), stride: (1, 1), dilation: (2, 2))
        #expect(dilated.scalars == [12, 13, 14, 17, 18, 19, 22, 23, 24])
        // padding counts as −∞, so an all-negative input still returns real values
        let negative = Tensor.arange([1, 1, 2, 2], start: -4)   // [-4, -3, -2, -1]
        #expect(maxPool2d(negative, kernelSize: (2, 2), stride: (1, 1), padding: (1, 1)).scalars
                == [-4, -3, -3, -2, -1, -1, -2, -1, -1])
    }

    @Test func maxPoolCeilMode() {
        // 4x4, 3x3 stride 2: floor mode has one window, ceil mode adds the clipped ones at the edge
        let x = Tensor.arange([1, 1, 4, 4])
        #expect(maxPool2d(x, kernelSize: (3, 3), stride: (2, 2)).scalars == [10])
        #expect(maxPool2d(x, kernelSize: (3, 3), stride: (2, 2), ceilMode: true).scalars == [10, 11, 14, 15])
        // PyTorch drops a last window that would start in the right padding: 5 + 2·1 = 7, k 2, s 2
        // gives ⌈5/2⌉ + 1 = 4 windows, but the 4th starts at 6 − 1 = 5 ≥ 5, so 3 remain
        #expect(poolingOutputSize(5, kernel: 2, stride: 2, padding: 1, ceilMode: true) == 3)
        #expect(poolingOutputSize(6, kernel: 3, stride: 2, padding: 0, ceilMode: true) == 3)
        #expect(poolingOutputSize(6, kernel: 3, stride: 2, padding: 0, ceilMode: false) == 2)
    }

    @Test func maxPoolBackwardRoutesToTheMaximum() {
        let x = Tensor.arange([1, 1, 4, 4]); x.requiresGrad = true
        maxPool2d(x, kernelSize: (2, 2)).sum().backward()
        var expected = [Float](repeating: 0, count: 16)
        for i in [5, 7, 13, 15] { expected[i] = 1 }
        #expect(x.grad?.scalars == expected)
        // overlapping windows: x[2, 2] = 12 wins windows (0,0); 14 and 22 win the others; 24 the last
        let y = Tensor.arange([1, 1, 5, 5]); y.requiresGrad = true
        maxPool2d(y, kernelSize: (3, 3), stride: (2, 2)).sum().backward()
        expected = [Float](repeating: 0, count: 25)
        for i in [12, 14, 22, 24] { expected[i] = 1 }
        #expect(y.grad?.scalars == expected)
    }

    @Test func avgPoolCountIncludePad() {
        // 4x4 arange, 3x3 stride 2 pad 1. Window (0,0) holds 0+1+4+5 = 10 over 9 slots or 4 pixels;
        // (0,1): 1+2+3+5+6+7 = 24 (9 or 6); (1,0): 4+5+8+9+12+13 = 51; (1,1): 5+6+7+9+10+11+13+14+15 = 90
        let x = Tensor.arange([1, 1, 4, 4])
        let incl = avgPool2d(x, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1))
        let excl = avgPool2d(x, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false)
        #expect(isApproximatelyEqual(incl.scalars, [10.0 / 9, 24.0 / 9, 51.0 / 9, 10]))
        #expect(isApproximatelyEqual(excl.scalars, [2.5, 4, 8.5, 10]))
    }

    @Test func avgPoolCeilModeDivisor() {
        // 3x3 arange, 2x2 stride 2 ceil mode: edge windows hold 2+5, 6+7 and 8 and divide by what they hold
        let x = Tensor.arange([1, 1, 3, 3])
        #expect(isApproximatelyEqual(avgPool2d(x, kernelSize: (2, 2), ceilMode: true).scalars, [2, 3.5, 6.5, 8]))
        // 4x4, 3x3 stride 2 pad 1 ceil: 3x3 outputs. The last window spans rows/cols 3..5, of which 3..4 lie in
        // the padded input (divisor 2·2 = 4 with count_include_pad) and only pixel 15 in the input.
        let y = Tensor.arange([1, 1, 4, 4])
        let incl = avgPool2d(y, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true)
        let excl = avgPool2d(y, kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true, countIncludePad: false)
        #expect(incl.shape == [1, 1, 3, 3])
        #expect(isApproximatelyEqual([incl[0, 0, 0, 0], incl[0, 0, 2, 2]], [10.0 / 9, 15.0 / 4]))
        #expect(isApproximatelyEqual([excl[0, 0, 0, 0], excl[0, 0, 2, 2]], [2.5, 15]))
    }

    @Test func adaptiveAverageNonDivisible() {
        // 5x5 arange (x = 5r + c) to 3x3: rows/cols windows 0..1, 1..3, 3..4 with means 0.5, 2, 3.5,
        // so cell (i, j) = 5·m[i] + m[j]
        let y = adaptiveAvgPool2d(Tensor.arange([1, 1, 5, 5]), outputSize: (3, 3))
        #expect(isApproximatelyEqual(y.scalars, [3, 4.5, 6, 10.5, 12, 13.5, 18, 19.5, 21]))
        // divisible case = ordinary 2x2 average pooling
        let x = Tensor.randomNormal([2, 3, 6, 4], seed: 9)
        #expect(isApproximatelyEqual(adaptiveAvgPool2d(x, outputSize: (3, 2)).scalars,
                                     avgPool2d(x, kernelSize: (2, 2)).scalars))
        // global pooling: the mean of each plane, 0…3 → 1.5 and 4…7 → 5.5
        #expect(globalAvgPool2d(Tensor.arange([1, 2, 2, 2])).scalars == [1.5, 5.5])
    }

    @Test func adaptiveBackwardSpreadsEvenly() {
        // 3 → 2 along one axis: windows rows 0..1 and 1..2; row 1 belongs to both
        let x = Tensor.arange([1, 1, 3, 1]); x.requiresGrad = true
        adaptiveAvgPool2d(x, outputSize: (2, 1)).sum().backward()
        #expect(x.grad?.scalars == [0.5, 1, 0.5])
    }

    @Test func metaInputGivesShapesOnly() {
        let m = Tensor(meta: [8, 64, 55, 55])
        #expect(maxPool2d(m, kernelSize: (3, 3), stride: (2, 2)).shape == [8, 64, 27, 27])
        #expect(avgPool2d(m, kernelSize: (2, 2), ceilMode: true).shape == [8, 64, 28, 28])
        #expect(adaptiveAvgPool2d(m, outputSize: (6, 6)).shape == [8, 64, 6, 6])
    }

    // Bad input: the process fails with a message naming the op.
    @Test func zeroStrideIsRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maxPool2d(Tensor.zeros([1, 1, 4, 4]), kernelSize: (2, 2), stride: (0, 2))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("max_pool2d: stride must be positive, got (0, 2)"), "stderr: \(message)")
    }

    @Test func windowLargerThanPaddedInputIsRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = avgPool2d(Tensor.zeros([1, 1, 3, 3]), kernelSize: (5, 5))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("avg_pool2d: window 5x5 is larger than the padded input 3x3"), "stderr: \(message)")
    }

    @Test func wrongRankIsRejected() async {
        await #expect(processExitsWith: .failure) {
            _ = adaptiveAvgPool2d(Tensor.zeros([3, 4, 4]), outputSize: (2, 2))
        }
    }
}
