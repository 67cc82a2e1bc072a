import Testing
import CNN
import _TestSupport

// The direct convolution kernels (ConvDirect.swift, ConvDirectWeight.swift) against the plain loops of ConvReference.swift:
// its forward output, and the input and weight gradients that conv2dBackward computes with it.

/// 3x3 stride-1 pad-1 convolutions chosen to reach every path: widths that are a multiple of 8
/// (output vectors inside rows) and others (vectors through the padded-width plane), blocks of
/// four filters and single leftover filters, groups of three output vectors and leftover
/// vectors, one image (filters split over the cores) and several.
private let directCases: [ConvCase] = [
    ConvCase(name: "6 filters (4 + 2 left over), 8x16 plane, batch 3", input: [3, 5, 8, 16], filters: 6, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "one image, 9 filters, 16x8, no bias", input: [1, 7, 16, 8], filters: 9, kernel: (3, 3), padding: (1, 1),
             bias: false),
    // the weight gradient takes chunks of 4 such images: two chunks, the second of one image
    ConvCase(name: "CIFAR stage 1: 16 -> 16 at 32x32, batch 5", input: [5, 16, 32, 32], filters: 16, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "odd height 5, width 24, 3 filters only, batch 4", input: [4, 3, 5, 24], filters: 3, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "one input channel, 8x8, 4 filters, batch 5", input: [5, 1, 8, 8], filters: 4, kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "7x7 plane (ResNet stage 5), 6 -> 5, batch 2", input: [2, 6, 7, 7], filters: 5, kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "one image, 14x14, 8 -> 8", input: [1, 8, 14, 14], filters: 8, kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "5x9 plane, batch 3, no bias", input: [3, 4, 5, 9], filters: 4, kernel: (3, 3),
             padding: (1, 1), bias: false),
    // more than 64 channels: the sums run over blocks of channels, each pass adding onto the output
    ConvCase(name: "70 -> 6 channels at 8x8 (two channel blocks), batch 2", input: [2, 70, 8, 8], filters: 6, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "one image, 130 -> 5 channels at 6x6 (three channel blocks)", input: [1, 130, 6, 6], filters: 5,
             kernel: (3, 3), padding: (1, 1)),
    // wide planes: several tiles of rows (DirectConvPlane.tiles keeps a tile's input rows near 256 KB)
    ConvCase(name: "one image, 64 -> 8 at 12x200 (4 tiles, split by tile)", input: [1, 64, 12, 200], filters: 8, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "one image, 66 -> 6 at 9x150 (3 tiles x 3 filter units), unaligned", input: [1, 66, 9, 150], filters: 6,
             kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "70 -> 5 at 9x150, batch 2 (tiles inside each image), unaligned", input: [2, 70, 9, 150], filters: 5,
             kernel: (3, 3), padding: (1, 1)),
    // other kernel sizes and paddings
    ConvCase(name: "LeNet C1: 5x5 pad 2, 1 -> 6 at 28x28, batch 3", input: [3, 1, 28, 28], filters: 6, kernel: (5, 5),
             padding: (2, 2)),
    ConvCase(name: "LeNet C3: 5x5 no padding, 6 -> 16 at 14x14, batch 3", input: [3, 6, 14, 14], filters: 16, kernel: (5, 5)),
    ConvCase(name: "3x3 no padding, 5 -> 7 at 12x20, batch 2", input: [2, 5, 12, 20], filters: 7, kernel: (3, 3)),
    ConvCase(name: "one image, 7x7 pad 3, 3 -> 8 at 16x16", input: [1, 3, 16, 16], filters: 8, kernel: (7, 7), padding: (3, 3)),
    ConvCase(name: "1x7 pad (0, 3), batch 2 (wasteful: conv2d takes im2col)", input: [2, 4, 6, 9], filters: 5, kernel: (1, 7), padding: (0, 3)),
    ConvCase(name: "4x2 pad (1, 0), batch 2", input: [2, 3, 9, 11], filters: 4, kernel: (4, 2), padding: (1, 0)),
    ConvCase(name: "1x3 plane (wasteful: conv2d takes im2col)", input: [2, 3, 1, 3], filters: 2, kernel: (3, 3), padding: (1, 1)),
]

@Suite("conv2d direct kernels")
struct ConvDirectTests {
    @Test("the direct kernels equal the plain loops: output, input and weight gradients", arguments: directCases)
    func matchesReference(_ c: ConvCase) {
        let g = c.geometry
        // directConv itself is checked on every case; conv2d picks it where little of a vector is wasted
        if !c.name.contains("wasteful") { #expect(directConvApplies(g)) }
        if c.name.contains("tiles") {   // the tiling is really exercised
            #expect(directConvTileCount(g) >= 3, "\(c.name)")
        }
        checkConvPath(c, seed: 41, kernelName: "directConv", direct: .always, winograd: .never) { x, w, b, y in
            directConv(x: x.storage.base, weight: w.storage.base, bias: b.map { UnsafePointer($0.storage.base) }, g,
                       into: y.storage.base)
        }
        // by default the direct kernels only for batches of 2 or more and small reductions
        #expect(ConvSettings.usesDirect(g, .automatic)
                == (g.n >= 2 && !c.name.contains("wasteful") && g.c * g.kh * g.kw <= ConvSettings.directReductionLimit))
    }

    @Test("every output is one sum in a fixed order: two runs agree bit for bit")
    func deterministic() {
        let c = directCases[2], g = c.geometry
        let x = Tensor.randomNormal(c.input, seed: 45), w = Tensor.randomNormal(c.weightShape, std: 0.3, seed: 46)
        let first = conv2dForward(x, weight: w, bias: nil, g, direct: .always)
        let second = conv2dForward(x, weight: w, bias: nil, g, direct: .always)
        #expect(first.scalars == second.scalars)
    }

    @Test("the kernels are chosen only where they apply")
    func applicability() {
        let x = [2, 4, 16, 16]
        #expect(directConvApplies(ConvGeometry(input: x, weight: [4, 4, 3, 3], padding: (1, 1))))
        #expect(directConvApplies(ConvGeometry(input: x, weight: [4, 4, 5, 5], padding: (2, 2))))
        #expect(directConvApplies(ConvGeometry(input: [2, 4, 14, 14], weight: [4, 4, 3, 3], padding: (1, 1))))
        #expect(!directConvApplies(ConvGeometry(input: x, weight: [4, 4, 3, 3], stride: (2, 2), padding: (1, 1))))
        #expect(!directConvApplies(ConvGeometry(input: x, weight: [4, 2, 3, 3], padding: (1, 1), groups: 2)))
        #expect(!directConvApplies(ConvGeometry(input: x, weight: [4, 4, 3, 3], padding: (2, 2), dilation: (2, 2))))
        #expect(!directConvApplies(ConvGeometry(input: x, weight: [4, 4, 1, 1])))                    // a plain GEMM
        #expect(!directConvApplies(ConvGeometry(input: x, weight: [4, 4, 3, 3], padding: (3, 3))))   // padding >= kernel
        #expect(!directConvApplies(ConvGeometry(input: [2, 16, 5, 5], weight: [120, 16, 5, 5])))      // LeNet C5: 1x1 output
    }

    @Test("automatic choice: direct for batches with a thin reduction (C·KH·KW <= 512), im2col + GEMM otherwise")
    func automaticChoice() {
        func direct(_ input: [Int], _ weight: [Int], _ padding: (Int, Int)) -> Bool {
            ConvSettings.usesDirect(ConvGeometry(input: input, weight: weight, padding: padding), .automatic)
        }
        #expect(direct([128, 16, 32, 32], [16, 16, 3, 3], (1, 1)))       // CIFAR stage 1 (K = 144)
        #expect(direct([128, 32, 16, 16], [32, 32, 3, 3], (1, 1)))       // CIFAR stage 2 (K = 288)
        #expect(direct([64, 48, 32, 32], [12, 48, 3, 3], (1, 1)))        // DenseNet-BC's 3x3 (K = 432)
        #expect(direct([128, 6, 14, 14], [16, 6, 5, 5], (0, 0)))         // LeNet C3 (K = 150)
        #expect(!direct([128, 64, 8, 8], [64, 64, 3, 3], (1, 1)))        // CIFAR stage 3 (K = 576)
        #expect(!direct([32, 64, 56, 56], [64, 64, 3, 3], (1, 1)))       // VGG / ResNet 64 channels
        #expect(!direct([8, 128, 28, 28], [32, 128, 3, 3], (1, 1)))      // DenseNet-121's 3x3 (K = 1152)
        #expect(!direct([1, 16, 32, 32], [16, 16, 3, 3], (1, 1)))        // one image: im2col + split GEMM
        #expect(ConvSettings.usesDirect(ConvGeometry(input: [1, 64, 56, 56], weight: [64, 64, 3, 3], padding: (1, 1)), .always))
    }
}
