import Testing
import CNN
import _TestSupport

// The pooling fast path for windows wholly inside the input (no padding, no dilation),
// against the reference loops of PoolReference.swift.

struct FullPoolCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [Int]
    var kernel: (Int, Int), stride: (Int, Int)
    var testDescription: String { name }
    var window: Window { Window(kernel: kernel, stride: stride, padding: (0, 0)) }
    var outputShape: [Int] {
        [input[0], input[1], (input[2] - kernel.0) / stride.0 + 1, (input[3] - kernel.1) / stride.1 + 1]
    }
}

let fullPoolCases: [FullPoolCase] = [
    FullPoolCase(name: "2x2/2 (LeNet, VGG)", input: [3, 4, 28, 28], kernel: (2, 2), stride: (2, 2)),
    FullPoolCase(name: "3x3/2 overlapping on 13x13 (AlexNet)", input: [2, 5, 13, 13], kernel: (3, 3), stride: (2, 2)),
    FullPoolCase(name: "2x2/2 on odd 7x9 (last row and column dropped)", input: [2, 3, 7, 9], kernel: (2, 2), stride: (2, 2)),
    FullPoolCase(name: "3x2 stride (1, 2)", input: [1, 2, 6, 8], kernel: (3, 2), stride: (1, 2)),
    FullPoolCase(name: "2x2/2 on 6x42 (two vectors of 8 outputs and 5 more a row)", input: [2, 3, 6, 42], kernel: (2, 2), stride: (2, 2)),
    FullPoolCase(name: "2x2/2 on 10x10 (LeNet's S4: rows of 5)", input: [2, 16, 10, 10], kernel: (2, 2), stride: (2, 2)),
    FullPoolCase(name: "3x3/3 tiling a 9x6 plane", input: [1, 2, 9, 6], kernel: (3, 3), stride: (3, 3)),
]

@Suite("pooling over full windows")
struct PoolFullWindowTests {
    @Test("max pooling equals the reference, argmax included", arguments: fullPoolCases)
    func maxPool(_ c: FullPoolCase) {
        var values = Tensor.randomNormal(c.input, seed: 41).scalars
        values[5] = .nan; values[17] = 100; values[18] = 100   // a NaN wins; ties keep the first
        let x = Tensor(shape: c.input, values: values)
        let (y, argmax) = maxPool2dForward(x, c.window, outputShape: c.outputShape)
        let (ry, rargmax) = referenceMaxPool2d(x, c.window, outputShape: c.outputShape)
        #expect(y.scalars.elementsEqual(ry.scalars) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(c.name): values")
        #expect(argmax == rargmax, "\(c.name): argmax")
    }

    @Test("average pooling equals the reference; its backward is the adjoint", arguments: fullPoolCases)
    func avgPool(_ c: FullPoolCase) {
        let x = Tensor.randomNormal(c.input, seed: 42)
        for includePad in [true, false] {
            let y = avgPool2dForward(x, c.window, outputShape: c.outputShape, countIncludePad: includePad)
            let ry = referenceAvgPool2d(x, c.window, outputShape: c.outputShape, countIncludePad: includePad)
            #expect(isApproximatelyEqual(y.scalars, ry.scalars, rtol: 1e-6, atol: 1e-6), "\(c.name): forward")
            // ⟨pool(x), g⟩ = ⟨x, poolᵀ(g)⟩ with the reference forward on the left
            let g = Tensor.randomNormal(c.outputShape, seed: 43)
            let dx = avgPool2dBackward(g, c.window, inputShape: c.input, countIncludePad: includePad)
            let lhs = zip(ry.scalars, g.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let rhs = zip(x.scalars, dx.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)), "\(c.name): adjoint \(lhs) vs \(rhs)")
        }
    }
}

/// Geometries for the values-only max pooling of inference: padded, strided, dilated, ceil mode,
/// widths below and above a vector.
let valuePoolCases: [(name: String, input: [Int], window: Window, ceilMode: Bool)] = [
    ("ResNet stem 3x3/2 pad 1 on 112x112", [1, 3, 112, 112], Window(kernel: (3, 3), stride: (2, 2), padding: (1, 1)), false),
    ("GoogLeNet 3x3/2 ceil mode on 27x27", [2, 3, 27, 27], Window(kernel: (3, 3), stride: (2, 2), padding: (0, 0)), true),
    ("3x3/1 pad 1 (inception pool branch) on 7x5", [2, 4, 7, 5], Window(kernel: (3, 3), stride: (1, 1), padding: (1, 1)), false),
    ("2x2/2 (VGG) on 28x28", [3, 4, 28, 28], Window(kernel: (2, 2), stride: (2, 2), padding: (0, 0)), false),
    ("dilated 3x3 d2 pad 1 on 13x19", [1, 2, 13, 19], Window(kernel: (3, 3), stride: (2, 1), padding: (1, 1), dilation: (2, 2)), false),
]

@Test("values-only max pooling (no gradient) gives the values of the argmax kernels, NaN included")
func maxPoolValuesOnly() {
    for c in valuePoolCases {
        var values = Tensor.randomNormal(c.input, seed: 43).scalars
        values[7] = .nan; values[c.input[3] + 1] = .nan; values[2] = 50   // row 1 is read by every case
        let x = Tensor(shape: c.input, values: values)
        let shape = poolOutputShape("max_pool2d", x, c.window, ceilMode: c.ceilMode)
        let fast = maxPool2dValues(x, c.window, outputShape: shape)
        let (ry, _) = referenceMaxPool2d(x, c.window, outputShape: shape)
        #expect(fast.shape == ry.shape, "\(c.name)")
        #expect(fast.scalars.elementsEqual(ry.scalars) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(c.name)")
        #expect(fast.scalars.contains { $0.isNaN }, "\(c.name): the NaN reaches the output")
        // the public op takes this path without a gradient and the argmax kernels with one
        let viaOp = withNoGrad { maxPool2d(x, kernelSize: c.window.kernel, stride: c.window.stride, padding: c.window.padding,
                                           dilation: c.window.dilation, ceilMode: c.ceilMode) }
        #expect(viaOp.scalars.elementsEqual(ry.scalars) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(c.name): maxPool2d")
    }
}
