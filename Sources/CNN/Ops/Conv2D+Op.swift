/// Output length of a sliding window along one axis (PyTorch's formula, floor mode):
/// ⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1.
public func convolutionOutputSize(_ size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int = 1) -> Int {
    (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
}

/// 2-D convolution (cross-correlation, as in every framework), `F.conv2d`.
///
/// out[n, f, oh, ow] = b[f] + Σ_{c ∈ group(f)} Σ_{i,j} x[n, c, oh·s − p + i·d, ow·s − p + j·d] · w[f, c mod C/g, i, j]
///
/// `groups` splits the channels into independent towers (AlexNet's two GPUs are groups = 2).
///
/// - Shape: x [N, C, H, W], weight [F, C/groups, KH, KW], bias [F] → [N, F, OH, OW]
/// - Complexity: N·F·OH·OW·(C/groups)·KH·KW multiply-adds.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
    precondition(x.rank == 4, "conv2d: input must be [N, C, H, W], got shape \(x.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [F, C/groups, KH, KW], got shape \(weight.shape)")
    precondition(groups >= 1, "conv2d: groups must be at least 1, got \(groups)")
    precondition(stride.0 >= 1 && stride.1 >= 1, "conv2d: stride must be positive, got \(stride)")
    precondition(dilation.0 >= 1 && dilation.1 >= 1, "conv2d: dilation must be positive, got \(dilation)")
    precondition(padding.0 >= 0 && padding.1 >= 0, "conv2d: padding must be non-negative, got \(padding)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (f, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    precondition(c % groups == 0, "conv2d: input channels \(c) are not divisible by groups \(groups)")
    precondition(f % groups == 0, "conv2d: output channels \(f) are not divisible by groups \(groups)")
    precondition(cg == c / groups,
                 "conv2d: input has \(c) channels (\(c / groups) per group), weight expects \(cg) per group (weight shape \(weight.shape))")
    if let bias { precondition(bias.shape == [f], "conv2d: bias shape \(bias.shape), expected [\(f)]") }
    let window = Window(kernel: (kh, kw), stride: stride, padding: padding, dilation: dilation)
    let (eh, ew) = window.extent
    precondition(eh <= h + 2 * padding.0 && ew <= w + 2 * padding.1,
                 "conv2d: kernel extent \(eh)x\(ew) is larger than the padded input \(h + 2 * padding.0)x\(w + 2 * padding.1)")
    let oh = convolutionOutputSize(h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0)
    let ow = convolutionOutputSize(w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1)
    let outShape = [n, f, oh, ow]
    let macs = n * f * oh * ow * cg * kh * kw
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    if x.isMeta || weight.isMeta {
        return Tensor(meta: outShape).traced("conv2d", inputs, window: window, macs: macs, saved: 0)
    }
    let geometry = ConvGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding,
                                dilation: dilation, groups: groups)
    let y = conv2dForward(x, weight: weight, bias: bias, geometry)
    return y.traced("conv2d", inputs, window: window, macs: macs, saved: 0)
        .recording("conv2d", inputs) { g, needs in
            let (dx, dw, db) = conv2dBackward(g, x: x, weight: weight, hasBias: bias != nil, geometry,
                                              needInput: needs[0], needWeight: needs[1],
                                              needBias: bias != nil && needs[2])
            return bias == nil ? [dx, dw] : [dx, dw, db]
        }
}

/// Everything a convolution kernel needs to know about its loop bounds.
/// n: batch, c: in-channels, (h, w): input, f: out-channels, (kh, kw): kernel, (oh, ow): output.
package struct ConvGeometry: Sendable {
    package let n, c, h, w, f, kh, kw, oh, ow: Int
    package let stride, padding, dilation: (Int, Int)
    package let groups: Int
    package var channelsPerGroup: Int { c / groups }
    package var filtersPerGroup: Int { f / groups }

    /// The geometry of `conv2d(x, weight, ...)` for x of shape `input` [N, C, H, W] and a weight of
    /// shape [F, C/groups, KH, KW]. The caller has validated the shapes (as `conv2d` does).
    package init(input: [Int], weight: [Int], stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                 dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        (n, c, h, w) = (input[0], input[1], input[2], input[3])
        (f, kh, kw) = (weight[0], weight[2], weight[3])
        oh = convolutionOutputSize(h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0)
        ow = convolutionOutputSize(w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1)
        self.stride = stride; self.padding = padding; self.dilation = dilation; self.groups = groups
    }

    /// A 1x1, stride-1, unpadded convolution is a plain matrix product per image: no im2col.
    package var isPointwise: Bool {
        kh == 1 && kw == 1 && stride == (1, 1) && padding == (0, 0)
    }
}
