// Original paper: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
// CVPR 2016, Section 4.2 (CIFAR-10): a 3x3 conv to 16 channels, three stages of n blocks of two
// 3x3 convs (16, 32, 64 filters, 32x32 → 16x16 → 8x8), global average pool, 10-way FC;
// depth 6n + 2 (ResNet-20/32/44/56/110: 0.27M/0.46M/0.66M/0.85M/1.7M parameters, Table 6).
//
// Shortcuts: option A (the paper's CIFAR choice) is the identity with stride-2 subsampling and
// zero channels appended where the shape changes (no parameters); option B projects with a 1x1
// conv + BN there. The plain twins drop the shortcuts altogether (the degradation experiment).
// Deviations: option A appends the zero channels after the existing ones (the paper does not say
// where they go; common re-implementations split them on both sides, which changes nothing but
// the channel order). Keys follow torchvision's ResNet: conv1, bn1, layer1.0.conv1, …, fc.
//
// `zeroInitResidual` (off by default, as in the paper): the later recipe of Goyal et al. 2017
// ("Accurate, Large Minibatch SGD", Section 5.1; torchvision's `zero_init_residual=True`) sets the
// scale γ of each residual block's last BN to 0, so that every block starts as its shortcut and a
// deep ResNet starts out behaving like a shallow one. A plain block has no shortcut, so zeroing its
// γ would cut the signal off: the option requires a shortcut.
import CNN

/// How a CIFAR ResNet block joins its input back in.
public enum CIFARShortcut: String, Sendable, CaseIterable {
    /// Identity; zero-padded and subsampled where the shape changes (parameter-free).
    case optionA = "A"
    /// Identity; 1x1 conv projection + BN where the shape changes.
    case optionB = "B"
    /// No shortcut: the plain network of the same depth.
    case none = "plain"
}

/// Two 3x3 conv-BN layers with an optional shortcut: relu(bn2(conv2(relu(bn1(conv1 x)))) [+ x]).
/// With `zeroInitResidual`, bn2's γ starts at 0, so the block starts as relu(shortcut(x)).
///
/// - Shape: [N, C, H, W] → [N, F, H/stride, W/stride]
public final class CIFARBlock: Module {
    public let conv1: Conv2D, bn1: BatchNorm2D, conv2: Conv2D, bn2: BatchNorm2D
    public let shortcut: CIFARShortcut
    public let downsample: Module?
    let outputChannels: Int, stride: Int

    public init(inputChannels: Int, outputChannels: Int, stride: Int, shortcut: CIFARShortcut, zeroInitResidual: Bool = false) {
        precondition(!zeroInitResidual || shortcut != .none,
                     "CIFARBlock: zeroInitResidual needs a shortcut (a plain block with γ = 0 outputs 0 for every input)")
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = BatchNorm2D(outputChannels)
        conv2 = Conv2D(inputChannels: outputChannels, outputChannels: outputChannels, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2D(outputChannels)
        self.shortcut = shortcut
        self.outputChannels = outputChannels
        self.stride = stride
        let reshapes = stride != 1 || inputChannels != outputChannels
        downsample = shortcut == .optionB && reshapes ? projection(inputChannels, outputChannels, stride: stride) : nil
        super.init()
        if zeroInitResidual, let gamma = bn2.weight {
            gamma.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        register("conv1", conv1); register("bn1", bn1); register("conv2", conv2); register("bn2", bn2)
        if let downsample { register("downsample", downsample) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let h = conv2(bn1(conv1(x), relu: true))
        switch shortcut {
        case .none: return bn2(h, relu: true)
        case .optionB: return (bn2(h) + (downsample.map { $0(x) } ?? x)).relu()
        case .optionA:
            let same = stride == 1 && x.shape[1] == outputChannels
            return (bn2(h) + (same ? x : zeroPaddedShortcut(x, outputChannels: outputChannels, stride: stride))).relu()
        }
    }
}

/// ResNet-(6n+2) for 32x32 images, or its plain twin.
///
/// - Shape: [N, inputChannels, 32, 32] → [N, classes] (3 channels for CIFAR; 1 for grey images
///   such as Fashion-MNIST padded to 32x32, which changes only conv1's weight count)
///
///     CIFARResNet(depth: 20).parameterCount   // 269722
public final class CIFARResNet: Module {
    public let conv1: Conv2D, bn1: BatchNorm2D
    public let layers: [Sequential]
    public let avgpool: AdaptiveAvgPool2D, fc: Linear

    /// `depth` = 6n + 2 (20, 32, 44, 56, 110, …); `inputChannels` = image channels (3 for RGB);
    /// `zeroInitResidual` starts every block's last BN γ at 0 (residual nets only; see the file notes).
    public init(depth: Int, shortcut: CIFARShortcut = .optionA, classes: Int = 10, inputChannels: Int = 3,
                zeroInitResidual: Bool = false) {
        precondition(depth >= 8 && (depth - 2) % 6 == 0, "CIFARResNet: depth must be 6n + 2 with n ≥ 1, got \(depth)")
        precondition(inputChannels >= 1, "CIFARResNet: inputChannels must be >= 1, got \(inputChannels)")
        precondition(!zeroInitResidual || shortcut != .none, "CIFARResNet: zeroInitResidual needs residual blocks, got the plain net")
        let n = (depth - 2) / 6
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: 16, kernelSize: 3, padding: 1, bias: false)
        bn1 = BatchNorm2D(16)
        var channels = 16
        var stages: [Sequential] = []
        for (i, width) in [16, 32, 64].enumerated() {
            stages.append(Sequential((0..<n).map { b in
                defer { channels = width }
                return CIFARBlock(inputChannels: channels, outputChannels: width, stride: i > 0 && b == 0 ? 2 : 1, shortcut: shortcut,
                                  zeroInitResidual: zeroInitResidual)
            }))
        }
        layers = stages
        avgpool = AdaptiveAvgPool2D(outputSize: 1)
        fc = Linear(inputFeatures: 64, outputFeatures: classes)
        super.init()
        register("conv1", conv1); register("bn1", bn1)
        for (i, l) in layers.enumerated() { register("layer\(i + 1)", l) }
        register("avgpool", avgpool); register("fc", fc)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        fc(avgpool(layers.reduce(bn1(conv1(x), relu: true)) { $1($0) }).flattened())
    }
}
