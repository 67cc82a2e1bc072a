/// Output length of a pooling window along one axis, PyTorch's rule: in ceil mode the last
/// window may run past the input, but it must start inside the input or the left padding.
public func poolingOutputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int = 1, ceilMode: Bool) -> Int {
    let span = size + 2 * padding - dilation * (kernel - 1) - 1
    var out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1
    if ceilMode && (out - 1) * stride >= size + padding { out -= 1 }
    return out
}

/// Validates a pooling window and returns the output shape. Shared by max and average pooling.
package func poolOutputShape(_ op: String, _ x: Tensor, _ window: Window, ceilMode: Bool) -> [Int] {
    precondition(x.rank == 4, "\(op): input must be [N, C, H, W], got shape \(x.shape)")
    let (k, s, p, d) = (window.kernel, window.stride, window.padding, window.dilation)
    precondition(k.0 >= 1 && k.1 >= 1, "\(op): kernel size must be positive, got \(k)")
    precondition(s.0 >= 1 && s.1 >= 1, "\(op): stride must be positive, got \(s)")
    precondition(d.0 >= 1 && d.1 >= 1, "\(op): dilation must be positive, got \(d)")
    precondition(p.0 >= 0 && p.1 >= 0 && p.0 <= k.0 / 2 && p.1 <= k.1 / 2,
                 "\(op): padding \(p) must be between 0 and half the kernel \(k)")
    let (h, w) = (x.shape[2], x.shape[3])
    let (eh, ew) = window.extent
    precondition(eh <= h + 2 * p.0 && ew <= w + 2 * p.1,
                 "\(op): window \(eh)x\(ew) is larger than the padded input \(h + 2 * p.0)x\(w + 2 * p.1)")
    let oh = poolingOutputSize(h, kernel: k.0, stride: s.0, padding: p.0, dilation: d.0, ceilMode: ceilMode)
    let ow = poolingOutputSize(w, kernel: k.1, stride: s.1, padding: p.1, dilation: d.1, ceilMode: ceilMode)
    return [x.shape[0], x.shape[1], oh, ow]
}

/// Max pooling, `F.max_pool2d`. Overlapping when kernel > stride (AlexNet: 3x3, stride 2).
/// Padding counts as −∞. The gradient flows to the (first) maximum of each window.
///
/// - Shape: [N, C, H, W] → [N, C, OH, OW]
public func maxPool2d(_ x: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      dilation: (Int, Int) = (1, 1), ceilMode: Bool = false) -> Tensor {
    let window = Window(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation)
    let shape = poolOutputShape("max_pool2d", x, window, ceilMode: ceilMode)
    if x.isMeta { return Tensor(meta: shape).traced("max_pool2d", [x], window: window, saved: shape.reduce(1, *)) }
    // Without a gradient to come (inference), the values alone: no argmax to find and keep.
    guard Autograd.enabled && x.tracksGradient else {
        return maxPool2dValues(x, window, outputShape: shape).traced("max_pool2d", [x], window: window, saved: shape.reduce(1, *))
    }
    let (y, argmax) = maxPool2dForward(x, window, outputShape: shape)
    let inputShape = x.shape
    return y.traced("max_pool2d", [x], window: window, saved: shape.reduce(1, *))
        .recording("max_pool2d", [x]) { g, _ in [maxPool2dBackward(g, argmax: argmax, inputShape: inputShape)] }
}

/// Average pooling, `F.avg_pool2d`. With `countIncludePad` (PyTorch's default) the divisor is
/// the window clipped to the padded input; without it, only the real input pixels count.
///
/// - Shape: [N, C, H, W] → [N, C, OH, OW]
public func avgPool2d(_ x: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0),
                      ceilMode: Bool = false, countIncludePad: Bool = true) -> Tensor {
    let window = Window(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding)
    let shape = poolOutputShape("avg_pool2d", x, window, ceilMode: ceilMode)
    if x.isMeta { return Tensor(meta: shape).traced("avg_pool2d", [x], window: window) }
    let y = avgPool2dForward(x, window, outputShape: shape, countIncludePad: countIncludePad)
    let inputShape = x.shape
    return y.traced("avg_pool2d", [x], window: window)
        .recording("avg_pool2d", [x]) { g, _ in
            [avgPool2dBackward(g, window, inputShape: inputShape, countIncludePad: countIncludePad)]
        }
}

/// Adaptive average pooling to a fixed output size, `F.adaptive_avg_pool2d`: output cell
/// (i, j) averages rows ⌊i·H/OH⌋ ..< ⌈(i+1)·H/OH⌉ and the same for columns.
///
/// - Shape: [N, C, H, W] → [N, C, OH, OW]
public func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
    precondition(x.rank == 4, "adaptive_avg_pool2d: input must be [N, C, H, W], got shape \(x.shape)")
    precondition(outputSize.0 >= 1 && outputSize.1 >= 1, "adaptive_avg_pool2d: output size must be positive, got \(outputSize)")
    precondition(x.shape[2] >= 1 && x.shape[3] >= 1, "adaptive_avg_pool2d: empty input \(x.shape)")
    let shape = [x.shape[0], x.shape[1], outputSize.0, outputSize.1]
    // A window for the receptive-field arithmetic, exact when the size divides evenly.
    let kh = (x.shape[2] + outputSize.0 - 1) / outputSize.0, kw = (x.shape[3] + outputSize.1 - 1) / outputSize.1
    let window = Window(kernel: (kh, kw), stride: (x.shape[2] / outputSize.0, x.shape[3] / outputSize.1), padding: (0, 0))
    if x.isMeta { return Tensor(meta: shape).traced("adaptive_avg_pool2d", [x], window: window) }
    let y = adaptiveAvgPool2dForward(x, outputSize: outputSize)
    let inputShape = x.shape
    return y.traced("adaptive_avg_pool2d", [x], window: window)
        .recording("adaptive_avg_pool2d", [x]) { g, _ in [adaptiveAvgPool2dBackward(g, inputShape: inputShape)] }
}

/// Global average pooling: [N, C, H, W] → [N, C, 1, 1] (GoogLeNet, ResNet, DenseNet heads).
public func globalAvgPool2d(_ x: Tensor) -> Tensor { adaptiveAvgPool2d(x, outputSize: (1, 1)) }
