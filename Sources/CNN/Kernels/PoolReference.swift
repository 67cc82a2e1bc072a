// Reference pooling kernels: PyTorch's definitions in plain loops, with a bounds test on every
// tap. The fast kernels in PoolKernels.swift clip the windows up front instead; the tests
// compare the two. Legend: n batch, c channel, (oh, ow) output pixel, (i, j) window tap,
// (ih, iw) input pixel; x [N, C, H, W], out [N, C, OH, OW].

/// Max pooling: out = max over the taps inside the input (padding is −∞), argmax = h·W + w of the
/// first maximum within its plane (a NaN wins, the last NaN if several, as in PyTorch).
package func referenceMaxPool2d(_ x: Tensor, _ win: Window, outputShape: [Int]) -> (Tensor, [Int32]) {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    let out = Tensor(zeros: outputShape)
    var argmax = [Int32](repeating: -1, count: out.count)
    let xv = x.scalars
    for pl in 0..<planes { for r in 0..<oh { for q in 0..<ow {
        var best = -Float.infinity, at = -1
        for i in 0..<win.kernel.0 { for j in 0..<win.kernel.1 {
            let ih = r * win.stride.0 - win.padding.0 + i * win.dilation.0
            let iw = q * win.stride.1 - win.padding.1 + j * win.dilation.1
            if ih < 0 || ih >= h || iw < 0 || iw >= w { continue }
            let v = xv[(pl * h + ih) * w + iw]   // seek to x[n, c, ih, iw]
            if at < 0 || v > best || v.isNaN { best = v; at = ih * w + iw }
        } }
        out.storage.base[(pl * oh + r) * ow + q] = best
        argmax[(pl * oh + r) * ow + q] = Int32(at)
    } } }
    return (out, argmax)
}

/// Average pooling, PyTorch's divisor: the window clipped to the padded input (ceil mode can run
/// past it) with `countIncludePad`, else the number of real input pixels under the window.
package func referenceAvgPool2d(_ x: Tensor, _ win: Window, outputShape: [Int], countIncludePad: Bool) -> Tensor {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    let out = Tensor(zeros: outputShape)
    let xv = x.scalars
    for pl in 0..<planes { for r in 0..<oh { for q in 0..<ow {
        var sum: Float = 0, inside = 0, padded = 0
        for i in 0..<win.kernel.0 { for j in 0..<win.kernel.1 {
            let ih = r * win.stride.0 - win.padding.0 + i, iw = q * win.stride.1 - win.padding.1 + j
            if ih >= h + win.padding.0 || iw >= w + win.padding.1 { continue }   // past the padded input
            padded += 1
            if ih < 0 || ih >= h || iw < 0 || iw >= w { continue }
            sum += xv[(pl * h + ih) * w + iw]
            inside += 1
        } }
        out.storage.base[(pl * oh + r) * ow + q] = sum / Float(countIncludePad ? padded : inside)
    } } }
    return out
}

/// Adaptive average pooling: cell (r, q) averages rows ⌊r·H/OH⌋ ..< ⌈(r+1)·H/OH⌉ and columns
/// ⌊q·W/OW⌋ ..< ⌈(q+1)·W/OW⌉.
package func referenceAdaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = outputSize
    let out = Tensor(zeros: [n, c, oh, ow])
    let xv = x.scalars
    for pl in 0..<(n * c) { for r in 0..<oh { for q in 0..<ow {
        let (h0, h1) = (r * h / oh, ((r + 1) * h + oh - 1) / oh)
        let (w0, w1) = (q * w / ow, ((q + 1) * w + ow - 1) / ow)
        var sum: Float = 0
        for ih in h0..<h1 { for iw in w0..<w1 { sum += xv[(pl * h + ih) * w + iw] } }
        out.storage.base[(pl * oh + r) * ow + q] = sum / Float((h1 - h0) * (w1 - w0))
    } } }
    return out
}
