// Original paper: Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, "Gradient-Based Learning Applied to
// Document Recognition", Proc. IEEE 86(11), 1998 (LeNet-5, Fig. 2).
//
// Deviations:
// - Input 28x28 (MNIST as distributed) with padding 2 on C1, instead of the paper's 32x32 input;
//   the feature maps are then exactly the paper's (28x28 after C1, 5x5 after S4).
// - C3 connects every S2 map to every C3 map (the paper's Table I wires only 60 of the 96 pairs).
// - S2/S4 are plain average pools (the paper's have a trainable coefficient and bias per map).
// - F7 is a linear layer with softmax cross-entropy, not the paper's Euclidean RBF units.
// - The `.modern` variant swaps tanh for ReLU and average for max pooling (d2l's "LeNet with ReLU").
//
// Layout and parameter count (61,706 for 10 classes):
//   features.0  Conv2D(1, 6, 5, padding 2)   156     features.3  Conv2D(6, 16, 5)   2,416
//   classifier.1 Linear(400, 120)         48,120     classifier.3 Linear(120, 84)  10,164
//   classifier.5 Linear(84, 10)              850
import CNN

/// The activation and pooling of a LeNet-5.
public enum LeNetVariant: String, Sendable, CaseIterable {
    /// tanh and 2x2 average pooling, as in the paper.
    case classic
    /// ReLU and 2x2 max pooling.
    case modern
}

/// LeNet-5 for 1x28x28 images: conv(6, 5x5, pad 2) - pool - conv(16, 5x5) - pool - 120 - 84 - classes.
///
/// - Shape: [N, 1, 28, 28] → [N, classes]
///
///     LeNet5().parameterCount   // 61706
public final class LeNet5: Module {
    public let features: Sequential
    public let classifier: Sequential

    public init(variant: LeNetVariant = .classic, classes: Int = 10) {
        func activation() -> Module { variant == .classic ? Tanh() : ReLU() }
        func pool() -> Module { variant == .classic ? AvgPool2D(kernelSize: 2) : MaxPool2D(kernelSize: 2) }
        features = Sequential(
            Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 2), activation(), pool(),   // C1, S2
            Conv2D(inputChannels: 6, outputChannels: 16, kernelSize: 5), activation(), pool())              // C3, S4
        classifier = Sequential(
            Flatten(),
            Linear(inputFeatures: 16 * 5 * 5, outputFeatures: 120), activation(),                            // C5
            Linear(inputFeatures: 120, outputFeatures: 84), activation(),                                    // F6
            Linear(inputFeatures: 84, outputFeatures: classes))                                              // output
        super.init()
        register("features", features)
        register("classifier", classifier)
    }

    public override func forward(_ x: Tensor) -> Tensor { classifier(features(x)) }
}
