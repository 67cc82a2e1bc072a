import Testing
import CNN
import _TestSupport

/// One pooling configuration: kernel, stride, padding, dilation (max only), ceil mode.
struct PoolCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [Int]
    var kernel: (Int, Int), stride: (Int, Int), padding = (0, 0), dilation = (1, 1)
    var ceilMode = false
    var testDescription: String { name }
    var window: Window { Window(kernel: kernel, stride: stride, padding: padding, dilation: dilation) }
    func outputShape(for x: [Int]) -> [Int] {
        [x[0], x[1],
         poolingOutputSize(x[2], kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: dilation.0, ceilMode: ceilMode),
         poolingOutputSize(x[3], kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: dilation.1, ceilMode: ceilMode)]
    }
}

let poolSweep: [PoolCase] = [
    PoolCase(name: "2x2 stride 2", input: [2, 3, 8, 8], kernel: (2, 2), stride: (2, 2)),
    PoolCase(name: "overlapping 3x3 stride 2 (AlexNet)", input: [2, 2, 13, 13], kernel: (3, 3), stride: (2, 2)),
    PoolCase(name: "overlapping ceil mode", input: [1, 3, 12, 10], kernel: (3, 3), stride: (2, 2), ceilMode: true),
    PoolCase(name: "3x3 stride 1 pad 1 (inception branch)", input: [2, 2, 7, 7], kernel: (3, 3), stride: (1, 1), padding: (1, 1)),
    PoolCase(name: "3x3 stride 2 pad 1 ceil", input: [1, 2, 8, 9], kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true),
    PoolCase(name: "asymmetric 2x3 stride (1,2)", input: [1, 2, 6, 9], kernel: (2, 3), stride: (1, 2), padding: (1, 1)),
]

/// A leaf whose values are a permutation of 0.1·(0…count−1): every window has a clear maximum,
/// far more than the finite-difference step away from the runner-up.
private func distinctLeaf(_ shape: [Int]) -> Tensor {
    let count = shape.reduce(1, *)
    let values = (0..<count).map { Float(($0 * 7919) % count) * 0.1 }   // 7919 is prime and > every count here
    return Tensor(shape: shape, values: values, requiresGrad: true)
}

@Suite("Pooling: kernels against references, gradients")
struct PoolGradientTests {
    @Test("max pooling equals the reference loops", arguments: poolSweep + [
        PoolCase(name: "dilation 2", input: [1, 2, 9, 9], kernel: (3, 3), stride: (1, 1), padding: (1, 1), dilation: (2, 2)),
        PoolCase(name: "dilation (2,1) ceil", input: [1, 1, 10, 7], kernel: (2, 3), stride: (2, 2), dilation: (2, 1), ceilMode: true),
    ])
    func maxMatchesReference(_ c: PoolCase) {
        let x = Tensor.randomNormal(c.input, seed: 5)
        let y = maxPool2d(x, kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceilMode)
        let (ref, _) = referenceMaxPool2d(x, c.window, outputShape: c.outputShape(for: c.input))
        #expect(y.shape == ref.shape)
        #expect(y.scalars == ref.scalars, "\(c.name)")
    }

    @Test("average pooling equals the reference loops", arguments: poolSweep, [true, false])
    func averageMatchesReference(_ c: PoolCase, countIncludePad: Bool) {
        let x = Tensor.randomNormal(c.input, seed: 6)
        let y = avgPool2d(x, kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode,
                          countIncludePad: countIncludePad)
        let ref = referenceAvgPool2d(x, c.window, outputShape: c.outputShape(for: c.input), countIncludePad: countIncludePad)
        #expect(y.shape == ref.shape)
        #expect(isApproximatelyEqual(y.scalars, ref.scalars), "\(c.name)")
    }

    @Test("adaptive average pooling equals the reference loops", arguments: [(7, 5, 3, 2), (6, 6, 4, 4), (5, 9, 5, 9), (3, 4, 6, 7), (13, 13, 6, 6)])
    func adaptiveMatchesReference(_ h: Int, _ w: Int, _ oh: Int, _ ow: Int) {
        let x = Tensor.randomNormal([2, 3, h, w], seed: 8)
        let y = adaptiveAvgPool2d(x, outputSize: (oh, ow))
        #expect(isApproximatelyEqual(y.scalars, referenceAdaptiveAvgPool2d(x, outputSize: (oh, ow)).scalars))
    }

    @Test("max pooling gradient, finite differences", arguments: poolSweep + [
        PoolCase(name: "dilation 2 pad 2", input: [1, 2, 8, 8], kernel: (3, 3), stride: (2, 2), padding: (1, 1), dilation: (2, 2)),
    ])
    func maxGradient(_ c: PoolCase) {
        let x = distinctLeaf(c.input)
        let result = checkGradient(inputs: [x], step: 1e-2) {
            maxPool2d($0[0], kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation, ceilMode: c.ceilMode)
        }
        #expect(result.passed, "\(c.name): \(result)")
    }

    @Test("average pooling gradient, finite differences", arguments: poolSweep, [true, false])
    func averageGradient(_ c: PoolCase, countIncludePad: Bool) {
        let x = leaf(c.input, seed: 12)
        let result = checkGradient(inputs: [x]) {
            avgPool2d($0[0], kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode,
                      countIncludePad: countIncludePad)
        }
        #expect(result.passed, "\(c.name), count_include_pad \(countIncludePad): \(result)")
    }

    @Test("adaptive and global average pooling gradient", arguments: [(7, 5, 3, 2), (5, 5, 3, 3), (4, 6, 1, 1), (3, 3, 5, 4)])
    func adaptiveGradient(_ h: Int, _ w: Int, _ oh: Int, _ ow: Int) {
        let x = leaf([2, 2, h, w], seed: 13)
        let result = checkGradient(inputs: [x]) { adaptiveAvgPool2d($0[0], outputSize: (oh, ow)) }
        #expect(result.passed, "\(h)x\(w) → \(oh)x\(ow): \(result)")
    }
}
