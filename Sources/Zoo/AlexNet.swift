// Original paper: A. Krizhevsky, I. Sutskever, G. E. Hinton, "ImageNet Classification with Deep
// Convolutional Neural Networks", NIPS 2012.
//
// `AlexNet` (zoo name `alexnet_original`) follows the paper: 96-256-384-384-256 filters, the two
// GPU towers as groups = 2 on conv2, conv4 and conv5 (conv3 and the classifier see both towers),
// LRN after conv1 and conv2 (Krizhevsky's formula, k = 2, n = 5, α = 1e-4, β = 0.75), overlapping
// 3x3 stride-2 max pooling, dropout 0.5 before the first two fully connected layers, 227x227 input
// (the paper's "224" does not give 55x55 after an 11x11 stride-4 conv without padding).
// Deviations: none in the architecture; initial weights use PyTorch's default initialisation
// rather than the paper's N(0, 0.01) with biases 1 in some layers (the lessons set their own).
//
// `TorchvisionAlexNet` (zoo name `alexnet`) is torchvision's one-tower variant (after Krizhevsky's
// "One weird trick", 2014): 64-192-384-256-256 filters, no LRN, no groups, padding 2 on conv1,
// an adaptive 6x6 average pool before the classifier; its state_dict keys are torchvision's.
import CNN

/// The original two-tower AlexNet (Krizhevsky et al. 2012).
///
/// - Shape: [N, 3, 227, 227] → [N, classes]
public final class AlexNet: Module {
    public let features: Sequential
    public let classifier: Sequential

    public init(classes: Int = 1000, dropout: Float = 0.5) {
        func lrn() -> Module { LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky) }
        func pool() -> Module { MaxPool2D(kernelSize: 3, stride: 2) }
        features = Sequential(
            Conv2D(inputChannels: 3, outputChannels: 96, kernelSize: 11, stride: 4), ReLU(), lrn(), pool(),       // 0-3: 55 → 27
            Conv2D(inputChannels: 96, outputChannels: 256, kernelSize: 5, padding: 2, groups: 2), ReLU(), lrn(), pool(),   // 4-7: 27 → 13
            Conv2D(inputChannels: 256, outputChannels: 384, kernelSize: 3, padding: 1), ReLU(),                  // 8-9
            Conv2D(inputChannels: 384, outputChannels: 384, kernelSize: 3, padding: 1, groups: 2), ReLU(),       // 10-11
            Conv2D(inputChannels: 384, outputChannels: 256, kernelSize: 3, padding: 1, groups: 2), ReLU(), pool())   // 12-14: 13 → 6
        classifier = Sequential(
            Dropout(probability: dropout), Linear(inputFeatures: 256 * 6 * 6, outputFeatures: 4096), ReLU(),
            Dropout(probability: dropout), Linear(inputFeatures: 4096, outputFeatures: 4096), ReLU(),
            Linear(inputFeatures: 4096, outputFeatures: classes))
        super.init()
        register("features", features)
        register("classifier", classifier)
    }

    public override func forward(_ x: Tensor) -> Tensor { classifier(features(x).flattened()) }
}

/// torchvision's `alexnet`: one tower, no LRN, adaptive 6x6 pooling.
///
/// - Shape: [N, 3, 224, 224] → [N, classes]
public final class TorchvisionAlexNet: Module {
    public let features: Sequential
    public let avgpool: AdaptiveAvgPool2D
    public let classifier: Sequential

    public init(classes: Int = 1000, dropout: Float = 0.5) {
        func pool() -> Module { MaxPool2D(kernelSize: 3, stride: 2) }
        features = Sequential(
            Conv2D(inputChannels: 3, outputChannels: 64, kernelSize: 11, stride: 4, padding: 2), ReLU(), pool(),
            Conv2D(inputChannels: 64, outputChannels: 192, kernelSize: 5, padding: 2), ReLU(), pool(),
            Conv2D(inputChannels: 192, outputChannels: 384, kernelSize: 3, padding: 1), ReLU(),
            Conv2D(inputChannels: 384, outputChannels: 256, kernelSize: 3, padding: 1), ReLU(),
            Conv2D(inputChannels: 256, outputChannels: 256, kernelSize: 3, padding: 1), ReLU(), pool())
        avgpool = AdaptiveAvgPool2D(outputSize: 6)
        classifier = Sequential(
            Dropout(probability: dropout), Linear(inputFeatures: 256 * 6 * 6, outputFeatures: 4096), ReLU(),
            Dropout(probability: dropout), Linear(inputFeatures: 4096, outputFeatures: 4096), ReLU(),
            Linear(inputFeatures: 4096, outputFeatures: classes))
        super.init()
        register("features", features)
        register("avgpool", avgpool)
        register("classifier", classifier)
    }

    public override func forward(_ x: Tensor) -> Tensor { classifier(avgpool(features(x)).flattened()) }
}
