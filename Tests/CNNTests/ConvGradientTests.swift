import Testing
import CNN
import _TestSupport

@Suite("conv2d gradients, determinism and errors")
struct ConvGradientTests {
    /// Every option of conv2d, each checked against central differences for x, weight and bias.
    static let options: [ConvCase] = [
        ConvCase(name: "plain 3x3", input: [2, 2, 5, 5], filters: 3, kernel: (3, 3)),
        ConvCase(name: "padding", input: [1, 2, 4, 5], filters: 2, kernel: (3, 3), padding: (1, 2)),
        ConvCase(name: "stride", input: [2, 2, 7, 6], filters: 3, kernel: (3, 2), stride: (2, 3)),
        ConvCase(name: "dilation", input: [1, 2, 7, 7], filters: 2, kernel: (3, 3), padding: (1, 1), dilation: (2, 2)),
        ConvCase(name: "groups", input: [2, 4, 5, 5], filters: 6, kernel: (3, 3), padding: (1, 1), groups: 2),
        ConvCase(name: "no bias", input: [2, 3, 4, 4], filters: 2, kernel: (2, 2), bias: false),
        ConvCase(name: "1x1 pointwise", input: [2, 4, 3, 3], filters: 3, kernel: (1, 1)),
        ConvCase(name: "11x11 stride 4", input: [1, 1, 19, 19], filters: 2, kernel: (11, 11), stride: (4, 4), padding: (2, 2)),
    ]

    @Test("finite differences", arguments: options)
    func gradient(_ c: ConvCase) {
        let x = leaf(c.input, seed: 3), w = leaf(c.weightShape, seed: 4, scale: 0.5)
        let b: Tensor? = c.bias ? leaf([c.filters], seed: 5) : nil
        let result = checkGradient(inputs: [x, w] + (b.map { [$0] } ?? [])) { t in
            conv2d(t[0], weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                   dilation: c.dilation, groups: c.groups)
        }
        #expect(result.passed, "\(c.name): \(result)")
    }

    @Test func onlyTheRequestedGradientsAreComputed() {
        // A first layer: the image needs no gradient, the weight does.
        let x = Tensor.randomNormal([2, 3, 6, 6], seed: 1), w = leaf([4, 3, 3, 3], seed: 2)
        conv2d(x, weight: w, padding: (1, 1)).sum().backward()
        #expect(x.grad == nil)
        #expect(w.grad?.shape == [4, 3, 3, 3])
    }

    /// Forward and backward of a small conv + pool stack, run twice from the same seed.
    private func run(seed: UInt64) -> [[Float]] {
        let x = leaf([6, 8, 12, 12], seed: seed), w = leaf([16, 8, 3, 3], seed: seed + 1, scale: 0.2)
        let b = leaf([16], seed: seed + 2)
        let w2 = leaf([8, 16, 1, 1], seed: seed + 3, scale: 0.2)
        let h = conv2d(x, weight: w, bias: b, padding: (1, 1))
        let p = maxPool2d(h, kernelSize: (3, 3), stride: (2, 2), ceilMode: true)
        let y = avgPool2d(conv2d(p, weight: w2), kernelSize: (2, 2), padding: (1, 1), countIncludePad: false)
        let out = adaptiveAvgPool2d(y, outputSize: (3, 2))
        (out * Tensor.randomNormal(out.shape, seed: seed + 4)).sum().backward()
        return [out.scalars, x.grad!.scalars, w.grad!.scalars, b.grad!.scalars, w2.grad!.scalars]
    }

    @Test func sameSeedGivesBitIdenticalResults() {
        let first = run(seed: 42), second = run(seed: 42)
        for (a, b) in zip(first, second) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        }
        #expect(run(seed: 43)[0] != first[0])
    }

    // Bad input: a precondition that names the op and the values (the process must fail).
    @Test func mismatchedChannelsAreRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 3, 8, 8]), weight: Tensor.zeros([4, 2, 3, 3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("conv2d: input has 3 channels"), "stderr: \(message)")
    }

    @Test func zeroStrideIsRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 3, 8, 8]), weight: Tensor.zeros([4, 3, 3, 3]), stride: (0, 1))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("conv2d: stride must be positive, got (0, 1)"), "stderr: \(message)")
    }

    @Test func kernelLargerThanPaddedInputIsRejected() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2d(Tensor.zeros([1, 3, 4, 4]), weight: Tensor.zeros([4, 3, 7, 7]), padding: (1, 1))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("conv2d: kernel extent 7x7 is larger than the padded input 6x6"), "stderr: \(message)")
    }

    @Test func wrongBiasIsRejected() async {
        await #expect(processExitsWith: .failure) {
            _ = conv2d(Tensor.zeros([1, 3, 8, 8]), weight: Tensor.zeros([4, 3, 3, 3]), bias: Tensor.zeros([3]))
        }
    }
}
