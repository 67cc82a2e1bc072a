/// Max pooling layer, `nn.MaxPool2d` (stride defaults to the kernel size).
public final class MaxPool2D: Module {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public let ceilMode: Bool

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) {
        precondition((stride ?? kernelSize).0 >= 1 && (stride ?? kernelSize).1 >= 1, "MaxPool2D: stride must be positive, got \(stride ?? kernelSize)")
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
        self.dilation = dilation; self.ceilMode = ceilMode
        super.init()
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding), ceilMode: ceilMode)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        maxPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    public override var configuration: String {
        "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding), ceil_mode=\(ceilMode)"
    }
}

/// Average pooling layer, `nn.AvgPool2d`.
public final class AvgPool2D: Module {
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public let ceilMode: Bool, countIncludePad: Bool

    public init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                ceilMode: Bool = false, countIncludePad: Bool = true) {
        precondition((stride ?? kernelSize).0 >= 1 && (stride ?? kernelSize).1 >= 1, "AvgPool2D: stride must be positive, got \(stride ?? kernelSize)")
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
        self.ceilMode = ceilMode; self.countIncludePad = countIncludePad
        super.init()
    }

    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true) {
        self.init(kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding),
                  ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public override func forward(_ x: Tensor) -> Tensor {
        avgPool2d(x, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad)
    }

    public override var configuration: String { "kernel_size=\(kernelSize), stride=\(stride), padding=\(padding)" }
}

/// Adaptive average pooling to a fixed size, `nn.AdaptiveAvgPool2d` ((1, 1) is global pooling).
public final class AdaptiveAvgPool2D: Module {
    public let outputSize: (Int, Int)
    public init(outputSize: (Int, Int)) { self.outputSize = outputSize; super.init() }
    public convenience init(outputSize: Int) { self.init(outputSize: (outputSize, outputSize)) }
    public override func forward(_ x: Tensor) -> Tensor { adaptiveAvgPool2d(x, outputSize: outputSize) }
    public override var configuration: String { "output_size=\(outputSize)" }
}
