/// A 2-D convolution layer, `nn.Conv2d`.
///
/// Parameters `weight` [F, C/groups, KH, KW] and `bias` [F], PyTorch's default initialisation.
///
/// - Shape: [N, C, H, W] → [N, F, OH, OW], OH = ⌊(H + 2p − d(k − 1) − 1)/s⌋ + 1
///
///     Conv2D(inputChannels: 1, outputChannels: 6, kernelSize: 5, padding: 2)(Tensor.zeros([1, 1, 28, 28])).shape
///     // [1, 6, 28, 28]
public final class Conv2D: Module {
    public let inputChannels: Int
    public let outputChannels: Int
    public let kernelSize: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let dilation: (Int, Int)
    public let groups: Int
    public let weight: Tensor
    /// nil for a convolution built with `bias: false` (until `foldBatchNorms` gives it one).
    public private(set) var bias: Tensor?

    public init(inputChannels: Int, outputChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true) {
        precondition(inputChannels > 0 && outputChannels > 0,
                     "Conv2D: channels must be positive, got in \(inputChannels), out \(outputChannels)")
        precondition(groups >= 1 && inputChannels % groups == 0 && outputChannels % groups == 0,
                     "Conv2D: groups \(groups) must divide both \(inputChannels) input and \(outputChannels) output channels")
        precondition(kernelSize.0 >= 1 && kernelSize.1 >= 1, "Conv2D: kernel size must be positive, got \(kernelSize)")
        precondition(stride.0 >= 1 && stride.1 >= 1, "Conv2D: stride must be positive, got \(stride)")
        precondition(dilation.0 >= 1 && dilation.1 >= 1, "Conv2D: dilation must be positive, got \(dilation)")
        precondition(padding.0 >= 0 && padding.1 >= 0, "Conv2D: padding must be non-negative, got \(padding)")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let fanIn = inputChannels / groups * kernelSize.0 * kernelSize.1
        weight = Init.pytorchDefault([outputChannels, inputChannels / groups, kernelSize.0, kernelSize.1], fanIn: fanIn)
        self.bias = bias ? Init.pytorchDefault([outputChannels], fanIn: fanIn) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    /// Square kernel, stride, padding and dilation.
    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: Int = 0, dilation: Int = 1, groups: Int = 1, bias: Bool = true) {
        self.init(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (kernelSize, kernelSize),
                  stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation),
                  groups: groups, bias: bias)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inputChannels,
                     "Conv2D: input \(x.shape) has \(x.rank == 4 ? x.shape[1] : -1) channels, layer expects \(inputChannels)")
        return conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    /// Adds a bias [F] to a convolution without one (batch-norm folding).
    func installBias(_ b: Tensor) {
        precondition(bias == nil && b.shape == [outputChannels], "Conv2D: installBias on a layer with a bias, or of shape \(b.shape)")
        bias = b
        registerParameter("bias", b)
    }

    public override var configuration: String {
        var s = "\(inputChannels), \(outputChannels), kernel_size=\(kernelSize), stride=\(stride)"
        if padding != (0, 0) { s += ", padding=\(padding)" }
        if dilation != (1, 1) { s += ", dilation=\(dilation)" }
        if groups != 1 { s += ", groups=\(groups)" }
        if bias == nil { s += ", bias=False" }
        return s
    }
}
