/// A fully connected layer, `nn.Linear`: y = x · Wᵀ + b.
///
/// Parameters `weight` [out, in] and `bias` [out], initialised as PyTorch does
/// (Kaiming-uniform with a = √5, i.e. U(-1/√in, 1/√in) for both).
///
/// - Shape: [N, in] → [N, out]
///
///     Linear(inputFeatures: 400, outputFeatures: 120)(Tensor.zeros([1, 400])).shape   // [1, 120]
public final class Linear: Module {
    public let inputFeatures: Int
    public let outputFeatures: Int
    public let weight: Tensor
    public let bias: Tensor?

    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true) {
        precondition(inputFeatures > 0 && outputFeatures > 0,
                     "Linear: features must be positive, got in \(inputFeatures), out \(outputFeatures)")
        self.inputFeatures = inputFeatures
        self.outputFeatures = outputFeatures
        weight = Init.pytorchDefault([outputFeatures, inputFeatures], fanIn: inputFeatures)
        self.bias = bias ? Init.pytorchDefault([outputFeatures], fanIn: inputFeatures) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    public override func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inputFeatures,
                     "Linear: input \(x.shape) does not match the layer's \(inputFeatures) input features")
        return linear(x, weight: weight, bias: bias)
    }

    public override var configuration: String { "in_features=\(inputFeatures), out_features=\(outputFeatures), bias=\(bias != nil)" }
}

/// Parameter-free activation and reshape layers.
public final class ReLU: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.relu() }
}

public final class Tanh: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.tanh() }
}

public final class Sigmoid: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.sigmoid() }
}

/// [N, C, H, W] → [N, C·H·W], `nn.Flatten()`.
public final class Flatten: Module {
    public override init() { super.init() }
    public override func forward(_ x: Tensor) -> Tensor { x.flattened() }
}
