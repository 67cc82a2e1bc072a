// Original paper: C. Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, Section 4 and
// Figure 2: the inception module in its naive form (a) and with 1x1 dimension reductions (b).
//
// Building blocks shared by GoogLeNet and Inception-v3. `ConvNormReLU` is torchvision's
// `BasicConv2d` (conv without bias, batch norm with ε = 0.001, ReLU; keys `conv.*`, `bn.*`);
// `ConvReLU` is the paper's conv with bias and ReLU (key `conv.*`).
import CNN

/// conv (no bias) → batch norm (ε = 0.001) → ReLU, torchvision's `BasicConv2d`.
///
/// - Shape: [N, C, H, W] → [N, F, OH, OW]
public final class ConvNormReLU: Module {
    public let conv: Conv2D
    public let bn: BatchNorm2D

    public init(_ input: Int, _ output: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) {
        conv = Conv2D(inputChannels: input, outputChannels: output, kernelSize: kernel, stride: stride,
                      padding: padding, bias: false)
        bn = BatchNorm2D(output, epsilon: 0.001)
        super.init()
        register("conv", conv)
        register("bn", bn)
    }

    public convenience init(_ input: Int, _ output: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        self.init(input, output, kernel: (kernel, kernel), stride: (stride, stride), padding: (padding, padding))
    }

    public override func forward(_ x: Tensor) -> Tensor { bn(conv(x), relu: true) }
}

/// conv (with bias) → ReLU, the convolution of the original GoogLeNet.
public final class ConvReLU: Module {
    public let conv: Conv2D

    public init(_ input: Int, _ output: Int, kernel: Int, stride: Int = 1, padding: Int = 0) {
        conv = Conv2D(inputChannels: input, outputChannels: output, kernelSize: kernel, stride: stride, padding: padding)
        super.init()
        register("conv", conv)
    }

    public override func forward(_ x: Tensor) -> Tensor { conv(x).relu() }
}

/// Runs every branch on the same input and concatenates the results along the channels.
///
/// - Shape: [N, C, H, W] → [N, Σ Fᵢ, H', W'] (the branches must agree on H', W')
open class Branches: Module {
    public let branches: [Module]

    /// `named` gives the state_dict name of each branch, in the order they are concatenated.
    public init(named: [(String, Module)]) {
        branches = named.map(\.1)
        super.init()
        for (n, b) in named { register(n, b) }
    }

    open override func forward(_ x: Tensor) -> Tensor { concatenate(branches.map { $0(x) }, axis: 1) }
}

/// How an inception module normalises and which kernel its third branch uses.
public enum InceptionStyle: Sendable {
    /// The paper: convs with bias and ReLU, a 5x5 third branch.
    case original
    /// torchvision's `googlenet`: conv-BN-ReLU everywhere and a 3x3 (not 5x5) third branch,
    /// a known quirk of its port that its checkpoints depend on.
    case torchvision
}

/// The inception module (Szegedy et al. 2015, Fig. 2).
///
/// Bottleneck form (b): branch1 = 1x1; branch2 = 1x1 (reduce) → 3x3; branch3 = 1x1 (reduce) → 5x5;
/// branch4 = 3x3 max pool (stride 1) → 1x1 (pool projection); outputs concatenated.
/// Naive form (a): 1x1, 3x3 and 5x5 convs straight on the input, plus the 3x3 max pool itself.
///
/// - Shape: [N, C, H, W] → [N, c1 + c3 + c5 + pool, H, W] (naive: pool = C)
public final class InceptionModule: Branches {
    /// The output channels.
    public let outputChannels: Int

    /// The bottleneck module; arguments as in the paper's Table 1 (#1x1, #3x3 reduce, #3x3,
    /// #5x5 reduce, #5x5, pool proj).
    public init(inputChannels c: Int, ch1x1: Int, ch3x3reduce: Int, ch3x3: Int, ch5x5reduce: Int, ch5x5: Int,
                poolProjection: Int, style: InceptionStyle = .torchvision) {
        func unit(_ i: Int, _ o: Int, _ k: Int) -> Module {
            style == .torchvision ? ConvNormReLU(i, o, kernel: k, padding: k / 2) : ConvReLU(i, o, kernel: k, padding: k / 2)
        }
        let k3 = style == .torchvision ? 3 : 5
        outputChannels = ch1x1 + ch3x3 + ch5x5 + poolProjection
        super.init(named: [
            ("branch1", unit(c, ch1x1, 1)),
            ("branch2", Sequential(unit(c, ch3x3reduce, 1), unit(ch3x3reduce, ch3x3, 3))),
            ("branch3", Sequential(unit(c, ch5x5reduce, 1), unit(ch5x5reduce, ch5x5, k3))),
            ("branch4", Sequential(MaxPool2D(kernelSize: 3, stride: 1, padding: 1, ceilMode: true), unit(c, poolProjection, 1))),
        ])
    }

    /// The naive module (Fig. 2a): no reductions, the pooled input passes through unchanged.
    public init(naiveInputChannels c: Int, ch1x1: Int, ch3x3: Int, ch5x5: Int) {
        outputChannels = ch1x1 + ch3x3 + ch5x5 + c
        super.init(named: [
            ("branch1", ConvReLU(c, ch1x1, kernel: 1)),
            ("branch2", ConvReLU(c, ch3x3, kernel: 3, padding: 1)),
            ("branch3", ConvReLU(c, ch5x5, kernel: 5, padding: 2)),
            ("branch4", MaxPool2D(kernelSize: 3, stride: 1, padding: 1)),
        ])
    }
}

/// One inception branch: an optional 1x1 reduction to `reduction` channels, then a k x k conv
/// (with bias, ReLU). The lecture's exercise: k = 5 on 64 channels to 64, naive
/// 5·5·64·64 + 64 = 102,464 weights; with a 1x1 reduction to 32, 2,080 + 51,264 = 53,344.
///
/// - Shape: [N, C, H, W] → [N, F, H, W]
public func inceptionBranch(kernel: Int, inputChannels: Int, outputChannels: Int, reduction: Int? = nil) -> Sequential {
    guard let r = reduction else { return Sequential(ConvReLU(inputChannels, outputChannels, kernel: kernel, padding: kernel / 2)) }
    return Sequential(ConvReLU(inputChannels, r, kernel: 1), ConvReLU(r, outputChannels, kernel: kernel, padding: kernel / 2))
}
