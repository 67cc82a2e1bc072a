// Original paper: K. Simonyan, A. Zisserman, "Very Deep Convolutional Networks for Large-Scale
// Image Recognition", ICLR 2015 (configurations A, B, D, E of Table 1 = VGG-11, 13, 16, 19).
//
// Deviations (all torchvision's, so its checkpoints load with the same keys):
// - An adaptive 7x7 average pool before the classifier (identity at 224x224), so other input
//   sizes still reach the 25,088-feature classifier.
// - The `_bn` variants add batch norm after every conv (not in the paper; Ioffe & Szegedy 2015).
// - Configurations A-LRN and C (1x1 convs) of the paper are not provided.
import CNN

/// VGG configurations: filters per conv, `nil` for a 2x2 max pool.
public enum VGGConfiguration: Int, Sendable, CaseIterable {
    case vgg11 = 11, vgg13 = 13, vgg16 = 16, vgg19 = 19

    /// Table 1 of the paper, column by column (A, B, D, E).
    public var layers: [Int?] {
        switch self {
        case .vgg11: [64, nil, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil]
        case .vgg13: [64, 64, nil, 128, 128, nil, 256, 256, nil, 512, 512, nil, 512, 512, nil]
        case .vgg16: [64, 64, nil, 128, 128, nil, 256, 256, 256, nil, 512, 512, 512, nil, 512, 512, 512, nil]
        case .vgg19: [64, 64, nil, 128, 128, nil, 256, 256, 256, 256, nil, 512, 512, 512, 512, nil,
                      512, 512, 512, 512, nil]
        }
    }
}

/// VGG-11/13/16/19, with or without batch norm, as torchvision builds it.
///
/// features: (conv3x3-[BN]-ReLU)* with 2x2 max pools; avgpool: adaptive 7x7;
/// classifier: 25088 → 4096 → 4096 → classes with ReLU and dropout 0.5.
///
/// - Shape: [N, 3, 224, 224] → [N, classes]
public final class VGG: Module {
    public let features: Sequential
    public let avgpool: AdaptiveAvgPool2D
    public let classifier: Sequential

    public init(_ configuration: VGGConfiguration, batchNorm: Bool = false, classes: Int = 1000, dropout: Float = 0.5) {
        var layers: [Module] = []
        var channels = 3
        for entry in configuration.layers {
            guard let filters = entry else { layers.append(MaxPool2D(kernelSize: 2, stride: 2)); continue }
            layers.append(Conv2D(inputChannels: channels, outputChannels: filters, kernelSize: 3, padding: 1))
            if batchNorm { layers.append(BatchNorm2D(filters)) }
            layers.append(ReLU())
            channels = filters
        }
        features = Sequential(layers)
        avgpool = AdaptiveAvgPool2D(outputSize: 7)
        classifier = Sequential(
            Linear(inputFeatures: 512 * 7 * 7, outputFeatures: 4096), ReLU(), Dropout(probability: dropout),
            Linear(inputFeatures: 4096, outputFeatures: 4096), ReLU(), Dropout(probability: dropout),
            Linear(inputFeatures: 4096, outputFeatures: classes))
        super.init()
        register("features", features)
        register("avgpool", avgpool)
        register("classifier", classifier)
    }

    public override func forward(_ x: Tensor) -> Tensor { classifier(avgpool(features(x)).flattened()) }
}
