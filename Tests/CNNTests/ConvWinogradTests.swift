import Testing
import CNN
import _TestSupport

// Winograd's F(2x2, 3x3) (ConvWinograd.swift) against the plain loops of ConvReference.swift: the
// forward output, and the gradients conv2dBackward computes with it (the input gradient is the convolution of gy
// with the flipped weights and padding 2 − p).

/// 3x3 stride-1 convolutions reaching every path of the kernel: odd output sizes (tiles with only
/// their left column or top row inside), tile rows narrower than a vector of 8 tiles and wider ones
/// with a partial last vector, blocks that span tile rows and images, one block with its phases
/// split over the cores and several blocks spread over the cores, paddings 0, 1 and 2.
private let winogradCases: [ConvCase] = [
    ConvCase(name: "8x8 plane (4 tiles a row), 64 -> 64, batch 4", input: [4, 64, 8, 8], filters: 64, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "odd 7x7 plane, 5 -> 6, batch 3, no bias", input: [3, 5, 7, 7], filters: 6, kernel: (3, 3), padding: (1, 1),
             bias: false),
    ConvCase(name: "one image, 32 -> 16 at 20x34 (17 tiles a row: two full vectors and one lane)", input: [1, 32, 20, 34],
             filters: 16, kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "no padding: 9x13 -> 7x11, 4 -> 3, batch 2", input: [2, 4, 9, 13], filters: 3, kernel: (3, 3)),
    ConvCase(name: "padding 2: 5x6 -> 7x8, 3 -> 5, batch 2", input: [2, 3, 5, 6], filters: 5, kernel: (3, 3), padding: (2, 2)),
    ConvCase(name: "padding (0, 2), 6x5, batch 1", input: [1, 2, 6, 5], filters: 4, kernel: (3, 3), padding: (0, 2)),
    // 16 channels: blocks of 512 tiles; 4 images of 32x32 make 1,024 tiles, so two blocks, one per core
    ConvCase(name: "16 -> 16 at 32x32, batch 4 (two blocks)", input: [4, 16, 32, 32], filters: 16, kernel: (3, 3), padding: (1, 1)),
    // 300 channels: blocks of 109 tiles, which start and end inside tile rows and images
    ConvCase(name: "300 -> 20 at 14x14, batch 5 (blocks across rows and images)", input: [5, 300, 14, 14], filters: 20,
             kernel: (3, 3), padding: (1, 1)),
    ConvCase(name: "1x1 plane with padding 1 (one tile, one output)", input: [2, 3, 1, 1], filters: 2, kernel: (3, 3), padding: (1, 1)),
]

@Suite("conv2d Winograd F(2x2, 3x3)")
struct ConvWinogradTests {
    @Test("Winograd's F(2x2, 3x3) equals the plain loops: output and gradients (input, weight, each alone)", arguments: winogradCases)
    func matchesReference(_ c: ConvCase) {
        let g = c.geometry
        #expect(winogradApplies(g))
        checkConvPath(c, seed: 51, kernelName: "winogradConv", direct: .never, winograd: .always) { x, w, b, y in
            winogradConv(x: x.storage.base, weight: w.storage.base, bias: b.map { UnsafePointer($0.storage.base) }, g,
                         into: y.storage.base)
        }
    }

    @Test("other geometries are not taken: stride 2, dilation, groups, 5x5, 1x3")
    func appliesOnlyToThreeByThree() {
        let cases: [ConvGeometry] = [
            ConvGeometry(input: [1, 4, 8, 8], weight: [4, 4, 3, 3], stride: (2, 2), padding: (1, 1)),
            ConvGeometry(input: [1, 4, 8, 8], weight: [4, 4, 3, 3], padding: (2, 2), dilation: (2, 2)),
            ConvGeometry(input: [1, 4, 8, 8], weight: [4, 2, 3, 3], padding: (1, 1), groups: 2),
            ConvGeometry(input: [1, 4, 8, 8], weight: [4, 4, 5, 5], padding: (2, 2)),
            ConvGeometry(input: [1, 4, 8, 8], weight: [4, 4, 1, 3], padding: (0, 1)),
        ]
        for g in cases {
            #expect(!winogradApplies(g))
            #expect(!ConvSettings.usesWinograd(g, .always))
        }
    }

    @Test("the automatic choice: 64 or more channels and filters on 64 or more tiles")
    func automaticChoice() {
        func geometry(_ n: Int, _ c: Int, _ f: Int, _ size: Int) -> ConvGeometry {
            ConvGeometry(input: [n, c, size, size], weight: [f, c, 3, 3], padding: (1, 1))
        }
        #expect(ConvSettings.usesWinograd(geometry(128, 64, 64, 8), .automatic))      // CIFAR stage 3
        #expect(ConvSettings.usesWinograd(geometry(1, 64, 64, 56), .automatic))       // ResNet-18 layer 1
        #expect(!ConvSettings.usesWinograd(geometry(1, 512, 512, 7), .automatic))     // 16 tiles
        #expect(!ConvSettings.usesWinograd(geometry(128, 3, 16, 32), .automatic))     // the stem of a CIFAR ResNet
        #expect(!ConvSettings.usesWinograd(geometry(1, 128, 32, 56), .automatic))     // DenseNet-121's 3x3 convolutions
        #expect(!ConvSettings.usesWinograd(geometry(1, 256, 256, 14), .automatic))    // 49 tiles
        #expect(!ConvSettings.usesWinograd(geometry(128, 64, 64, 8), .never))
    }
}
