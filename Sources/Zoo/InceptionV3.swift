// Original paper: C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens, Z. Wojna, "Rethinking the
// Inception Architecture for Computer Vision", CVPR 2016 (Table 1, Figures 5-7).
//
// Built as torchvision's `inception_v3` (zoo name `inception_v3`), whose keys it shares
// (Conv2d_1a_3x3.conv.weight, Mixed_5b.branch1x1.bn.running_mean, …, fc.weight).
// Deviations from the paper, all torchvision's: the 35x35 modules (Mixed_5b-d) keep a 5x5 branch
// next to the two-3x3 branch (the paper's Fig. 5 replaces it), the grid reductions follow the
// released model rather than Fig. 10, and the auxiliary head (off by default, as for the
// analysis; 23,834,568 parameters without it, 27,161,264 with it) has no batch norm on its FC.
// The factorisations the lecture names: 5x5 → two 3x3 (`branch3x3dbl`), 7x7 → 1x7 + 7x1 (Mixed_6b-e),
// 3x3 → 1x3 ‖ 3x1 in parallel (Mixed_7b-c).
import CNN

/// A module whose children are torchvision's flat-named `BasicConv2d`s (`branch5x5_1`,
/// `branch5x5_2`, …) wired into branches by `forward`.
open class FlatInception: Module {
    var units: [String: ConvNormReLU] = [:]

    /// Registers `(name, input, output, kernel, stride, padding)` units in torchvision's order.
    init(_ specs: [(String, Int, Int, (Int, Int), Int, (Int, Int))]) {
        super.init()
        for (n, i, o, k, s, p) in specs {
            units[n] = register(n, ConvNormReLU(i, o, kernel: k, stride: (s, s), padding: p))
        }
    }

    /// The units named, applied in sequence.
    func chain(_ x: Tensor, _ names: String...) -> Tensor { names.reduce(x) { units[$1]!($0) } }

    /// The pooling branch shared by modules A, C and E: 3x3 average pool (stride 1, padding 1) → 1x1.
    func poolBranch(_ x: Tensor) -> Tensor {
        units["branch_pool"]!(avgPool2d(x, kernelSize: (3, 3), stride: (1, 1), padding: (1, 1)))
    }
}

private let one = (1, 1), zero = (0, 0)

/// The 35x35 module (Mixed_5b-d): 1x1 | 1x1 → 5x5 | 1x1 → 3x3 → 3x3 | avg pool → 1x1.
///
/// - Shape: [N, C, 35, 35] → [N, 224 + poolFeatures, 35, 35]
public final class InceptionA: FlatInception {
    public init(inputChannels c: Int, poolFeatures: Int) {
        super.init([("branch1x1", c, 64, one, 1, zero),
                    ("branch5x5_1", c, 48, one, 1, zero), ("branch5x5_2", 48, 64, (5, 5), 1, (2, 2)),
                    ("branch3x3dbl_1", c, 64, one, 1, zero), ("branch3x3dbl_2", 64, 96, (3, 3), 1, one),
                    ("branch3x3dbl_3", 96, 96, (3, 3), 1, one), ("branch_pool", c, poolFeatures, one, 1, zero)])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        concatenate([chain(x, "branch1x1"), chain(x, "branch5x5_1", "branch5x5_2"),
                     chain(x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"), poolBranch(x)], axis: 1)
    }
}

/// The 35 → 17 grid reduction (Mixed_6a): 3x3/2 | 1x1 → 3x3 → 3x3/2 | max pool 3x3/2.
///
/// - Shape: [N, C, 35, 35] → [N, 480 + C, 17, 17]
public final class InceptionB: FlatInception {
    public init(inputChannels c: Int) {
        super.init([("branch3x3", c, 384, (3, 3), 2, zero),
                    ("branch3x3dbl_1", c, 64, one, 1, zero), ("branch3x3dbl_2", 64, 96, (3, 3), 1, one),
                    ("branch3x3dbl_3", 96, 96, (3, 3), 2, zero)])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        concatenate([chain(x, "branch3x3"), chain(x, "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"),
                     maxPool2d(x, kernelSize: (3, 3), stride: (2, 2))], axis: 1)
    }
}

/// The 17x17 module (Mixed_6b-e), 7x7 factorised into 1x7 and 7x1: 1x1 | 1x1 → 1x7 → 7x1 |
/// 1x1 → 7x1 → 1x7 → 7x1 → 1x7 | avg pool → 1x1.
///
/// - Shape: [N, 768, 17, 17] → [N, 768, 17, 17]
public final class InceptionC: FlatInception {
    public init(inputChannels c: Int, channels7x7 m: Int) {
        let row = ((1, 7), (0, 3)), column = ((7, 1), (3, 0))
        super.init([("branch1x1", c, 192, one, 1, zero),
                    ("branch7x7_1", c, m, one, 1, zero), ("branch7x7_2", m, m, row.0, 1, row.1),
                    ("branch7x7_3", m, 192, column.0, 1, column.1),
                    ("branch7x7dbl_1", c, m, one, 1, zero), ("branch7x7dbl_2", m, m, column.0, 1, column.1),
                    ("branch7x7dbl_3", m, m, row.0, 1, row.1), ("branch7x7dbl_4", m, m, column.0, 1, column.1),
                    ("branch7x7dbl_5", m, 192, row.0, 1, row.1), ("branch_pool", c, 192, one, 1, zero)])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        concatenate([chain(x, "branch1x1"), chain(x, "branch7x7_1", "branch7x7_2", "branch7x7_3"),
                     chain(x, "branch7x7dbl_1", "branch7x7dbl_2", "branch7x7dbl_3", "branch7x7dbl_4", "branch7x7dbl_5"),
                     poolBranch(x)], axis: 1)
    }
}

/// The 17 → 8 grid reduction (Mixed_7a): 1x1 → 3x3/2 | 1x1 → 1x7 → 7x1 → 3x3/2 | max pool 3x3/2.
///
/// - Shape: [N, 768, 17, 17] → [N, 1280, 8, 8]
public final class InceptionD: FlatInception {
    public init(inputChannels c: Int) {
        super.init([("branch3x3_1", c, 192, one, 1, zero), ("branch3x3_2", 192, 320, (3, 3), 2, zero),
                    ("branch7x7x3_1", c, 192, one, 1, zero), ("branch7x7x3_2", 192, 192, (1, 7), 1, (0, 3)),
                    ("branch7x7x3_3", 192, 192, (7, 1), 1, (3, 0)), ("branch7x7x3_4", 192, 192, (3, 3), 2, zero)])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        concatenate([chain(x, "branch3x3_1", "branch3x3_2"),
                     chain(x, "branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"),
                     maxPool2d(x, kernelSize: (3, 3), stride: (2, 2))], axis: 1)
    }
}

/// The 8x8 module (Mixed_7b-c) with the 3x3 split into a parallel 1x3 and 3x1 (Fig. 7):
/// 1x1 | 1x1 → (1x3 ‖ 3x1) | 1x1 → 3x3 → (1x3 ‖ 3x1) | avg pool → 1x1.
///
/// - Shape: [N, C, 8, 8] → [N, 2048, 8, 8]
public final class InceptionE: FlatInception {
    public init(inputChannels c: Int) {
        super.init([("branch1x1", c, 320, one, 1, zero),
                    ("branch3x3_1", c, 384, one, 1, zero), ("branch3x3_2a", 384, 384, (1, 3), 1, (0, 1)),
                    ("branch3x3_2b", 384, 384, (3, 1), 1, (1, 0)),
                    ("branch3x3dbl_1", c, 448, one, 1, zero), ("branch3x3dbl_2", 448, 384, (3, 3), 1, one),
                    ("branch3x3dbl_3a", 384, 384, (1, 3), 1, (0, 1)), ("branch3x3dbl_3b", 384, 384, (3, 1), 1, (1, 0)),
                    ("branch_pool", c, 192, one, 1, zero)])
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let a = chain(x, "branch3x3_1")
        let b = chain(x, "branch3x3dbl_1", "branch3x3dbl_2")
        return concatenate([chain(x, "branch1x1"),
                            concatenate([chain(a, "branch3x3_2a"), chain(a, "branch3x3_2b")], axis: 1),
                            concatenate([chain(b, "branch3x3dbl_3a"), chain(b, "branch3x3dbl_3b")], axis: 1),
                            poolBranch(x)], axis: 1)
    }
}

/// The auxiliary classifier on the 17x17 grid: avg pool 5x5/3 → 1x1 to 128 → 5x5 to 768 →
/// global average → FC.
///
/// - Shape: [N, 768, 17, 17] → [N, classes]
public final class InceptionV3Auxiliary: Module {
    public let conv0: ConvNormReLU, conv1: ConvNormReLU, fc: Linear

    public init(inputChannels: Int, classes: Int) {
        conv0 = ConvNormReLU(inputChannels, 128, kernel: 1)
        conv1 = ConvNormReLU(128, 768, kernel: 5)
        fc = Linear(inputFeatures: 768, outputFeatures: classes)
        super.init()
        register("conv0", conv0); register("conv1", conv1); register("fc", fc)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let y = conv1(conv0(avgPool2d(x, kernelSize: (5, 5), stride: (3, 3))))
        return fc(adaptiveAvgPool2d(y, outputSize: (1, 1)).flattened())
    }
}

/// Inception-v3 as torchvision builds it.
///
/// - Shape: [N, 3, 299, 299] → [N, classes]. With the auxiliary head, a training-mode forward
///   pass leaves its logits in `auxiliaryOutput`.
public final class InceptionV3: Module {
    public let auxLogits: InceptionV3Auxiliary?
    public private(set) var auxiliaryOutput: Tensor?
    let beforeAux: [Module], afterAux: [Module], fc: Linear, drop: Dropout

    public init(classes: Int = 1000, auxiliaryHead: Bool = false, dropout: Float = 0.5) {
        let early: [(String, Module)] = [
            ("Conv2d_1a_3x3", ConvNormReLU(3, 32, kernel: 3, stride: 2)), ("Conv2d_2a_3x3", ConvNormReLU(32, 32, kernel: 3)),
            ("Conv2d_2b_3x3", ConvNormReLU(32, 64, kernel: 3, padding: 1)), ("maxpool1", MaxPool2D(kernelSize: 3, stride: 2)),
            ("Conv2d_3b_1x1", ConvNormReLU(64, 80, kernel: 1)), ("Conv2d_4a_3x3", ConvNormReLU(80, 192, kernel: 3)),
            ("maxpool2", MaxPool2D(kernelSize: 3, stride: 2)),
            ("Mixed_5b", InceptionA(inputChannels: 192, poolFeatures: 32)), ("Mixed_5c", InceptionA(inputChannels: 256, poolFeatures: 64)),
            ("Mixed_5d", InceptionA(inputChannels: 288, poolFeatures: 64)), ("Mixed_6a", InceptionB(inputChannels: 288)),
            ("Mixed_6b", InceptionC(inputChannels: 768, channels7x7: 128)), ("Mixed_6c", InceptionC(inputChannels: 768, channels7x7: 160)),
            ("Mixed_6d", InceptionC(inputChannels: 768, channels7x7: 160)), ("Mixed_6e", InceptionC(inputChannels: 768, channels7x7: 192)),
        ]
        let late: [(String, Module)] = [
            ("Mixed_7a", InceptionD(inputChannels: 768)), ("Mixed_7b", InceptionE(inputChannels: 1280)),
            ("Mixed_7c", InceptionE(inputChannels: 2048)), ("avgpool", AdaptiveAvgPool2D(outputSize: 1)),
        ]
        auxLogits = auxiliaryHead ? InceptionV3Auxiliary(inputChannels: 768, classes: classes) : nil
        beforeAux = early.map(\.1); afterAux = late.map(\.1)
        drop = Dropout(probability: dropout)
        fc = Linear(inputFeatures: 2048, outputFeatures: classes)
        super.init()
        for (n, m) in early { register(n, m) }
        if let auxLogits { register("AuxLogits", auxLogits) }
        for (n, m) in late { register(n, m) }
        register("dropout", drop)
        register("fc", fc)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let mid = beforeAux.reduce(x) { $1($0) }
        auxiliaryOutput = isTraining ? auxLogits.map { $0(mid) } : nil
        return fc(drop(afterAux.reduce(mid) { $1($0) }.flattened()))
    }
}
