// Original paper: K. He, X. Zhang, S. Ren, J. Sun, "Deep Residual Learning for Image Recognition",
// CVPR 2016 (Table 1: ResNet-18/34 with basic blocks, ResNet-50/101/152 with bottlenecks).
//
// Built as torchvision's `resnet18` … `resnet152` (keys conv1.weight, bn1.*, layer1.0.conv1.weight,
// layer2.0.downsample.0.weight, fc.*), with projection shortcuts (option B) where the shape changes.
// `ResNetStride.v1_5` (torchvision's default, zoo names resnet18…resnet152) puts a bottleneck's
// stride on its 3x3 conv; `.v1` (the paper, zoo option `--stride v1`) on its first 1x1 conv.
// Basic blocks are the same in both. Deviations: none beyond torchvision's (batch norm placement
// after every conv, as the paper's Section 3.4 describes).
import CNN

/// Where a downsampling bottleneck applies its stride.
public enum ResNetStride: String, Sendable, CaseIterable {
    /// The paper: on the first 1x1 conv.
    case v1
    /// torchvision ("ResNet v1.5"): on the 3x3 conv, about 0.5% more top-1 accuracy.
    case v1_5 = "v1.5"
}

/// 1x1 conv (no bias) + batch norm: the projection shortcut, keys `downsample.0`, `downsample.1`.
func projection(_ input: Int, _ output: Int, stride: Int) -> Sequential {
    Sequential(Conv2D(inputChannels: input, outputChannels: output, kernelSize: 1, stride: stride, bias: false),
               BatchNorm2D(output))
}

/// Two 3x3 convs with batch norm and a shortcut: y = relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut x).
///
/// - Shape: [N, C, H, W] → [N, planes, H/stride, W/stride]
public final class BasicBlock: Module {
    public static let expansion = 1
    public let conv1: Conv2D, bn1: BatchNorm2D, conv2: Conv2D, bn2: BatchNorm2D
    public let downsample: Module?

    public init(inputChannels: Int, planes: Int, stride: Int = 1, downsample: Module? = nil) {
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: planes, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = BatchNorm2D(planes)
        conv2 = Conv2D(inputChannels: planes, outputChannels: planes, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2D(planes)
        self.downsample = downsample
        super.init()
        register("conv1", conv1); register("bn1", bn1); register("conv2", conv2); register("bn2", bn2)
        if let downsample { register("downsample", downsample) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let y = bn2(conv2(bn1(conv1(x), relu: true)))
        return (y + (downsample.map { $0(x) } ?? x)).relu()
    }
}

/// 1x1 (reduce) → 3x3 → 1x1 (expand x4), each with batch norm, plus a shortcut.
///
/// - Shape: [N, C, H, W] → [N, 4·planes, H/stride, W/stride]
public final class Bottleneck: Module {
    public static let expansion = 4
    public let conv1: Conv2D, bn1: BatchNorm2D, conv2: Conv2D, bn2: BatchNorm2D, conv3: Conv2D, bn3: BatchNorm2D
    public let downsample: Module?

    public init(inputChannels: Int, planes: Int, stride: Int = 1, downsample: Module? = nil, strideOn: ResNetStride = .v1_5) {
        let (s1, s3) = strideOn == .v1 ? (stride, 1) : (1, stride)
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: planes, kernelSize: 1, stride: s1, bias: false)
        bn1 = BatchNorm2D(planes)
        conv2 = Conv2D(inputChannels: planes, outputChannels: planes, kernelSize: 3, stride: s3, padding: 1, bias: false)
        bn2 = BatchNorm2D(planes)
        conv3 = Conv2D(inputChannels: planes, outputChannels: planes * 4, kernelSize: 1, bias: false)
        bn3 = BatchNorm2D(planes * 4)
        self.downsample = downsample
        super.init()
        register("conv1", conv1); register("bn1", bn1); register("conv2", conv2); register("bn2", bn2)
        register("conv3", conv3); register("bn3", bn3)
        if let downsample { register("downsample", downsample) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let y = bn3(conv3(bn2(conv2(bn1(conv1(x), relu: true)), relu: true)))
        return (y + (downsample.map { $0(x) } ?? x)).relu()
    }
}

/// ImageNet ResNet: 7x7/2 conv, 3x3/2 max pool, four stages (64, 128, 256, 512 planes; stride 2
/// from the second), global average pool, FC.
///
/// - Shape: [N, 3, 224, 224] → [N, classes]
public final class ResNet: Module {
    /// Blocks per stage and block kind for each depth of Table 1.
    public static let depths: [Int: (bottleneck: Bool, blocks: [Int])] = [
        18: (false, [2, 2, 2, 2]), 34: (false, [3, 4, 6, 3]), 50: (true, [3, 4, 6, 3]),
        101: (true, [3, 4, 23, 3]), 152: (true, [3, 8, 36, 3]),
    ]

    public let conv1: Conv2D, bn1: BatchNorm2D, maxpool: MaxPool2D
    public let layers: [Sequential]
    public let avgpool: AdaptiveAvgPool2D, fc: Linear

    /// `depth` must be one of 18, 34, 50, 101, 152.
    public init(depth: Int, classes: Int = 1000, stride: ResNetStride = .v1_5) {
        guard let spec = ResNet.depths[depth] else {
            preconditionFailure("ResNet: depth \(depth) is not one of \(ResNet.depths.keys.sorted())")
        }
        let expansion = spec.bottleneck ? Bottleneck.expansion : BasicBlock.expansion
        conv1 = Conv2D(inputChannels: 3, outputChannels: 64, kernelSize: 7, stride: 2, padding: 3, bias: false)
        bn1 = BatchNorm2D(64)
        maxpool = MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
        var channels = 64
        var stages: [Sequential] = []
        for (i, (planes, count)) in zip([64, 128, 256, 512], spec.blocks).enumerated() {
            let s = i == 0 ? 1 : 2
            var blocks: [Module] = []
            for b in 0..<count {
                let blockStride = b == 0 ? s : 1
                let shortcut = b == 0 && (s != 1 || channels != planes * expansion)
                    ? projection(channels, planes * expansion, stride: blockStride) : nil
                blocks.append(spec.bottleneck
                    ? Bottleneck(inputChannels: channels, planes: planes, stride: blockStride, downsample: shortcut, strideOn: stride)
                    : BasicBlock(inputChannels: channels, planes: planes, stride: blockStride, downsample: shortcut))
                channels = planes * expansion
            }
            stages.append(Sequential(blocks))
        }
        layers = stages
        avgpool = AdaptiveAvgPool2D(outputSize: 1)
        fc = Linear(inputFeatures: 512 * expansion, outputFeatures: classes)
        super.init()
        register("conv1", conv1); register("bn1", bn1); register("maxpool", maxpool)
        for (i, l) in layers.enumerated() { register("layer\(i + 1)", l) }
        register("avgpool", avgpool); register("fc", fc)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        let stem = maxpool(bn1(conv1(x), relu: true))
        return fc(avgpool(layers.reduce(stem) { $1($0) }).flattened())
    }
}
