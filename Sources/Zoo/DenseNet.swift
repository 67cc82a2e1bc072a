// Original paper: G. Huang, Z. Liu, L. van der Maaten, K. Q. Weinberger, "Densely Connected
// Convolutional Networks", CVPR 2017 (Table 1: DenseNet-121/169/201/264, growth rate k = 32;
// Section 3: DenseNet-BC, bottleneck layers and compression θ = 0.5).
//
// ImageNet models (zoo names densenet121/169/201 as torchvision, densenet264 in the same layout)
// use torchvision's keys: features.conv0, features.norm0, features.denseblock1.denselayer1.norm1,
// features.transition1.conv, features.norm5, classifier. Deviations: none beyond torchvision's
// (a final ReLU before pooling, the paper's "BN-ReLU-Conv" order everywhere, no dropout).
// By default concatenation is memory-naive: each layer concatenates all earlier feature maps
// afresh and the tape keeps that concatenation and its BN/ReLU outputs for the backward pass, so
// activation memory grows quadratically with the layers per block (the lecture's point).
// `memoryEfficient: true` is torchvision's `memory_efficient=True` (G. Pleiss, D. Chen, G. Huang,
// T. Li, L. van der Maaten, K. Q. Weinberger, "Memory-Efficient Implementation of DenseNets",
// 2017): each layer's concat + BN + ReLU + 1x1 conv is checkpointed (`checkpointed`), so only the
// block's feature maps and the 4k-channel bottleneck outputs stay on the tape and the
// concatenation is recomputed in the backward pass. Every BN → ReLU runs as one op
// (`bn(x, relu: true)`), which keeps only its output, as torchvision's in-place ReLU does, so
// the pairs after the bottleneck and in the transitions need no checkpoint: the tape holds what
// PyTorch's does, in both modes.
// Outputs and gradients are the same; unlike PyTorch's checkpoint, the recomputation does not
// update the BN running statistics a second time.
//
// `DenseNet(bcDepth:growthRate:)` (zoo name `densenet_bc`) is the CIFAR DenseNet-BC: a 3x3 conv to
// 2k channels, three dense blocks of (depth − 4)/6 bottleneck layers on 32x32, 16x16, 8x8,
// transitions with compression 0.5, global average pool, FC. DenseNet-BC (L = 100, k = 12) has
// 0.8M parameters (Table 2).
import CNN

/// BN → ReLU → 1x1 conv (to bottleneckWidth·k) → BN → ReLU → 3x3 conv (to k) on the
/// concatenation of every earlier feature map of the block.
///
/// With `memoryEfficient`, the first half (concat → BN → ReLU → 1x1 conv) is checkpointed.
///
/// - Shape: [N, C, H, W] → [N, k, H, W]; `callAsFunction(features:)` takes the list whose
///   channels add up to C.
public final class DenseLayer: Module {
    public let norm1: BatchNorm2D, conv1: Conv2D, norm2: BatchNorm2D, conv2: Conv2D
    /// Recompute the concatenation and the bottleneck's input in the backward pass instead of keeping them.
    public let memoryEfficient: Bool

    public init(inputChannels: Int, growthRate k: Int, bottleneckWidth: Int = 4, memoryEfficient: Bool = false) {
        self.memoryEfficient = memoryEfficient
        norm1 = BatchNorm2D(inputChannels)
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: bottleneckWidth * k, kernelSize: 1, bias: false)
        norm2 = BatchNorm2D(bottleneckWidth * k)
        conv2 = Conv2D(inputChannels: bottleneckWidth * k, outputChannels: k, kernelSize: 3, padding: 1, bias: false)
        super.init()
        // torchvision registers relu1 and relu2 as modules too, but they hold no state.
        register("norm1", norm1); register("conv1", conv1); register("norm2", norm2); register("conv2", conv2)
    }

    public override func forward(_ x: Tensor) -> Tensor { compute([x]) }

    /// The layer on the concatenation of `features` (channel axis), concatenated inside the
    /// checkpoint when the layer is memory-efficient. Reports to the tracer like `layer(x)`.
    public func callAsFunction(features: [Tensor]) -> Tensor {
        guard let tracer = Trace.current else { return compute(features) }
        tracer.enter(self)
        let y = compute(features)
        tracer.exit(self, output: y)
        return y
    }

    private func compute(_ features: [Tensor]) -> Tensor {
        let bottleneck: Tensor
        if memoryEfficient {
            let (norm1, conv1) = (self.norm1, self.conv1)
            bottleneck = checkpointed(features, restoring: [norm1]) { xs in
                conv1(norm1(xs.count == 1 ? xs[0] : concatenate(xs, axis: 1), relu: true))
            }
        } else {
            bottleneck = conv1(norm1(features.count == 1 ? features[0] : concatenate(features, axis: 1), relu: true))
        }
        // BN → ReLU as one op keeps the bottleneck and the 3x3 conv's input, 2·4k channels, as PyTorch's in-place ReLU
        return conv2(norm2(bottleneck, relu: true))
    }
}

/// A dense block: layer ℓ sees concat(x, y₁, …, y_{ℓ−1}); the block returns concat(x, y₁, …, y_L).
///
/// - Shape: [N, C, H, W] → [N, C + L·k, H, W]
public final class DenseBlock: Module {
    public let layers: [DenseLayer]
    public let outputChannels: Int

    public init(layers count: Int, inputChannels: Int, growthRate k: Int, bottleneckWidth: Int = 4, memoryEfficient: Bool = false) {
        layers = (0..<count).map {
            DenseLayer(inputChannels: inputChannels + $0 * k, growthRate: k, bottleneckWidth: bottleneckWidth, memoryEfficient: memoryEfficient)
        }
        outputChannels = inputChannels + count * k
        super.init()
        for (i, l) in layers.enumerated() { register("denselayer\(i + 1)", l) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        var features = [x]
        for layer in layers {
            // The naive layer gets the concatenation from the block (as torchvision's naive path
            // reads); the memory-efficient one concatenates inside its checkpoint.
            features.append(layer.memoryEfficient ? layer(features: features)
                                                  : layer(features.count == 1 ? x : concatenate(features, axis: 1)))
        }
        return concatenate(features, axis: 1)
    }
}

/// BN → ReLU → 1x1 conv (compression) → 2x2 average pool.
///
/// - Shape: [N, C, H, W] → [N, F, H/2, W/2]
public final class Transition: Module {
    public let norm: BatchNorm2D, conv: Conv2D, pool: AvgPool2D
    /// Kept for the memory-efficient net's structure; the transition computes the same either way
    /// (BN → ReLU as one op already keeps only its output).
    public let memoryEfficient: Bool

    public init(inputChannels: Int, outputChannels: Int, memoryEfficient: Bool = false) {
        self.memoryEfficient = memoryEfficient
        norm = BatchNorm2D(inputChannels)
        conv = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, bias: false)
        pool = AvgPool2D(kernelSize: 2, stride: 2)
        super.init()
        register("norm", norm); register("conv", conv); register("pool", pool)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        pool(conv(norm(x, relu: true)))
    }
}

/// DenseNet for ImageNet (torchvision layout) or, with `bcDepth`, DenseNet-BC for 32x32 images.
/// `memoryEfficient: true` checkpoints every dense layer's concat + BN + ReLU + 1x1 conv
/// (torchvision's `memory_efficient=True`): same outputs, parameters and gradients, less
/// activation memory in training, one extra bottleneck forward per layer in the backward pass.
///
/// - Shape: [N, 3, 224, 224] → [N, classes] (BC: [N, 3, 32, 32] → [N, classes])
public final class DenseNet: Module {
    /// Layers per dense block for each depth of Table 1.
    public static let blockConfigurations: [Int: [Int]] = [
        121: [6, 12, 24, 16], 169: [6, 12, 32, 32], 201: [6, 12, 48, 32], 264: [6, 12, 64, 48],
    ]

    public let features: Sequential
    public let classifier: Linear

    /// The ImageNet DenseNet-121/169/201/264: 7x7/2 conv to 64, 3x3/2 max pool, four blocks.
    public init(depth: Int, growthRate k: Int = 32, classes: Int = 1000, memoryEfficient: Bool = false) {
        guard let blocks = DenseNet.blockConfigurations[depth] else {
            preconditionFailure("DenseNet: depth \(depth) is not one of \(DenseNet.blockConfigurations.keys.sorted())")
        }
        let stem: [(String, Module)] = [
            ("conv0", Conv2D(inputChannels: 3, outputChannels: 64, kernelSize: 7, stride: 2, padding: 3, bias: false)),
            ("norm0", BatchNorm2D(64)), ("relu0", ReLU()), ("pool0", MaxPool2D(kernelSize: 3, stride: 2, padding: 1)),
        ]
        let (parts, channels) = DenseNet.blocks(blocks, inputChannels: 64, growthRate: k, memoryEfficient: memoryEfficient)
        features = Sequential(named: stem + parts)
        classifier = Linear(inputFeatures: channels, outputFeatures: classes)
        super.init()
        register("features", features)
        register("classifier", classifier)
    }

    /// DenseNet-BC for 32x32 inputs: depth L = 6n + 4 gives three blocks of n bottleneck layers.
    public init(bcDepth depth: Int, growthRate k: Int = 12, classes: Int = 10, memoryEfficient: Bool = false) {
        precondition(depth >= 10 && (depth - 4) % 6 == 0, "DenseNet-BC: depth must be 6n + 4 with n ≥ 1, got \(depth)")
        let n = (depth - 4) / 6
        let stem: [(String, Module)] = [("conv0", Conv2D(inputChannels: 3, outputChannels: 2 * k, kernelSize: 3, padding: 1, bias: false))]
        let (parts, channels) = DenseNet.blocks([n, n, n], inputChannels: 2 * k, growthRate: k, memoryEfficient: memoryEfficient)
        features = Sequential(named: stem + parts)
        classifier = Linear(inputFeatures: channels, outputFeatures: classes)
        super.init()
        register("features", features)
        register("classifier", classifier)
    }

    /// Dense blocks with compressing (θ = 0.5) transitions between them, then the final BN (`norm5`).
    static func blocks(_ sizes: [Int], inputChannels: Int, growthRate k: Int, memoryEfficient: Bool) -> ([(String, Module)], Int) {
        var parts: [(String, Module)] = []
        var channels = inputChannels
        for (i, count) in sizes.enumerated() {
            let block = DenseBlock(layers: count, inputChannels: channels, growthRate: k, memoryEfficient: memoryEfficient)
            parts.append(("denseblock\(i + 1)", block))
            channels = block.outputChannels
            if i != sizes.count - 1 {
                parts.append(("transition\(i + 1)", Transition(inputChannels: channels, outputChannels: channels / 2,
                                                                            memoryEfficient: memoryEfficient)))
                channels /= 2
            }
        }
        parts.append(("norm5", BatchNorm2D(channels)))
        return (parts, channels)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        classifier(globalAvgPool2d(features(x).relu()).flattened())
    }
}
