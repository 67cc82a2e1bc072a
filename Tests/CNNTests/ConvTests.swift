import Testing
import CNN
import _TestSupport

/// One convolution configuration of the sweep.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [Int]            // [N, C, H, W]
    var filters: Int
    var kernel: (Int, Int)
    var stride = (1, 1), padding = (0, 0), dilation = (1, 1)
    var groups = 1
    var bias = true
    var testDescription: String { name }

    var weightShape: [Int] { [filters, input[1] / groups, kernel.0, kernel.1] }
    var geometry: ConvGeometry {
        ConvGeometry(input: input, weight: weightShape, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

let convSweep: [ConvCase] = [
    ConvCase(name: "3x3 pad 1", input: [1, 3, 8, 8], filters: 4, kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "AlexNet-like 11x11 stride 4 pad 2", input: [2, 3, 39, 39], filters: 8, kernel: (11, 11),
             stride: (4, 4), padding: (2, 2)),
    ConvCase(name: "groups 2 (two towers)", input: [2, 8, 9, 9], filters: 6, kernel: (3, 3), padding: (1, 1), groups: 2),
    ConvCase(name: "depthwise groups = C", input: [1, 4, 7, 7], filters: 8, kernel: (3, 3), stride: (2, 2), groups: 4),
    ConvCase(name: "dilation 2", input: [2, 3, 11, 10], filters: 5, kernel: (3, 3), padding: (2, 2), dilation: (2, 2)),
    ConvCase(name: "dilation (2,3) stride 2", input: [1, 2, 13, 14], filters: 3, kernel: (3, 2), stride: (2, 2),
             padding: (1, 0), dilation: (2, 3)),
    ConvCase(name: "1x1 pointwise", input: [3, 16, 5, 6], filters: 7, kernel: (1, 1)),
    ConvCase(name: "1x1 pointwise groups 4 no bias", input: [2, 8, 4, 4], filters: 12, kernel: (1, 1), groups: 4, bias: false),
    ConvCase(name: "1x1 stride 2 (projection shortcut)", input: [2, 8, 7, 7], filters: 16, kernel: (1, 1), stride: (2, 2)),
    ConvCase(name: "asymmetric 3x5 stride (2,1) pad (1,2)", input: [2, 3, 9, 11], filters: 4, kernel: (3, 5),
             stride: (2, 1), padding: (1, 2)),
    ConvCase(name: "7x7 stride 2 pad 3 batch 5", input: [5, 3, 20, 17], filters: 6, kernel: (7, 7), stride: (2, 2),
             padding: (3, 3)),
    ConvCase(name: "kernel = padded input", input: [1, 2, 3, 3], filters: 2, kernel: (5, 5), padding: (1, 1)),
    ConvCase(name: "large padding", input: [1, 1, 2, 2], filters: 1, kernel: (2, 2), padding: (3, 3)),
]

/// x, weight, bias and an upstream gradient for a case, from fixed seeds.
private func operands(_ c: ConvCase, seed: UInt64 = 1) -> (x: Tensor, w: Tensor, b: Tensor?, gy: Tensor) {
    let g = c.geometry
    return (Tensor.randomNormal(c.input, seed: seed), Tensor.randomNormal(c.weightShape, std: 0.5, seed: seed + 1),
            c.bias ? Tensor.randomNormal([c.filters], seed: seed + 2) : nil,
            Tensor.randomNormal([g.n, g.f, g.oh, g.ow], seed: seed + 3))
}

private func expectClose(_ a: Tensor?, _ b: Tensor, _ what: String, _ c: ConvCase) {
    guard let a else { Issue.record("\(c.name): \(what) missing"); return }
    #expect(a.shape == b.shape, "\(c.name): \(what) shape")
    let ok = isApproximatelyEqual(a.scalars, b.scalars, rtol: 1e-4, atol: 1e-4)
    #expect(ok, "\(c.name): \(what) differs from the direct loops, worst \(String(describing: worstMismatch(a.scalars, b.scalars, rtol: 1e-4, atol: 1e-4)))")
}

@Suite("conv2d")
struct ConvTests {
    @Test("im2col + sgemm equals the direct loops", arguments: convSweep, [ConvThreading.perImage, .blas])
    func matchesDirectConvolution(_ c: ConvCase, threading: ConvThreading) {
        let (x, w, b, gy) = operands(c)
        let g = c.geometry
        let fast = conv2dForward(x, weight: w, bias: b, g, threading: threading)
        expectClose(fast, referenceConv2dForward(x, weight: w, bias: b, g), "output", c)
        let (dx, dw, db) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: true, needWeight: true,
                                          needBias: c.bias, threading: threading)
        let ref = referenceConv2dBackward(gy, x: x, weight: w, g)
        expectClose(dx, ref.dx, "input gradient", c)
        expectClose(dw, ref.dw, "weight gradient", c)
        if c.bias { expectClose(db, ref.db, "bias gradient", c) } else { #expect(db == nil) }
    }

    @Test("the public op agrees with the direct loops and has the PyTorch output size", arguments: convSweep)
    func publicOp(_ c: ConvCase) {
        let (x, w, b, _) = operands(c, seed: 11)
        let y = conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        let g = c.geometry
        // ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1, written out here rather than taken from the engine
        let oh = (c.input[2] + 2 * c.padding.0 - c.dilation.0 * (c.kernel.0 - 1) - 1) / c.stride.0 + 1
        let ow = (c.input[3] + 2 * c.padding.1 - c.dilation.1 * (c.kernel.1 - 1) - 1) / c.stride.1 + 1
        #expect(y.shape == [c.input[0], c.filters, oh, ow])
        expectClose(y, referenceConv2dForward(x, weight: w, bias: b, g), "output", c)
        let meta = conv2d(Tensor(meta: c.input), weight: Tensor(meta: c.weightShape), stride: c.stride,
                          padding: c.padding, dilation: c.dilation, groups: c.groups)
        #expect(meta.isMeta && meta.shape == y.shape)
    }

    // Hand-worked values on arange inputs.
    @Test func arangeWithOnesKernel() {
        // x = 0…8 as 3x3; a 2x2 box sums each window: 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8
        let x = Tensor.arange([1, 1, 3, 3]), w = Tensor.ones([1, 1, 2, 2])
        #expect(conv2d(x, weight: w).scalars == [8, 12, 20, 24])
        // padding 1, stride 2: windows cover {0}, {1,2}, {3,6}, {4,5,7,8}
        #expect(conv2d(x, weight: w, stride: (2, 2), padding: (1, 1)).scalars == [0, 3, 9, 24])
        // bias is added once per output
        #expect(conv2d(x, weight: w, bias: Tensor(shape: [1], values: [-1])).scalars == [7, 11, 19, 23])
    }

    @Test func arangeGroupsAndDilation() {
        // groups 2, 1x1 weights 1 and 10: each output channel scales only its own input channel
        let x = Tensor.arange([1, 2, 2, 2]), w = Tensor(shape: [2, 1, 1, 1], values: [1, 10])
        #expect(conv2d(x, weight: w, groups: 2).scalars == [0, 1, 2, 3, 40, 50, 60, 70])
        // dilation 2: taps (0,0), (0,2), (2,0), (2,2) of the 5x5 arange; 0+2+10+12 = 24, +4 per column, +20 per row
        let y = conv2d(Tensor.arange([1, 1, 5, 5]), weight: Tensor.ones([1, 1, 2, 2]), dilation: (2, 2))
        #expect(y.scalars == [24, 28, 32, 44, 48, 52, 64, 68, 72])
    }

    @Test func arangeBackward() {
        // y = conv(x, 2x2 ones) on 3x3; dL/dx for L = Σ y counts the windows covering each pixel
        let x = Tensor.arange([1, 1, 3, 3]), w = Tensor.ones([1, 1, 2, 2])
        x.requiresGrad = true; w.requiresGrad = true
        conv2d(x, weight: w).sum().backward()
        #expect(x.grad?.scalars == [1, 2, 1, 2, 4, 2, 1, 2, 1])
        // dL/dw[i, j] = sum of the 2x2 block of x starting at (i, j): 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8
        #expect(w.grad?.scalars == [8, 12, 20, 24])
    }
}
