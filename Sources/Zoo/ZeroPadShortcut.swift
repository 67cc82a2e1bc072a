// The parameter-free shortcut of He et al. 2016 (option A): subsample by the stride and append
// zero channels. An op of its own (rather than a strided slice + concat with zeros) so that it
// allocates the output once and its backward is a strided scatter.
import CNN

/// Option-A shortcut: out[n, c, i, j] = x[n, c, i·s, j·s] for c < C, and 0 for C ≤ c < F.
///
/// - Shape: [N, C, H, W] → [N, F, ⌈H/s⌉, ⌈W/s⌉] with F ≥ C (⌈H/s⌉ equals a padded 3x3 stride-s conv's output)
/// - Complexity: N·C·⌈H/s⌉·⌈W/s⌉ copies; no multiply-adds.
public func zeroPaddedShortcut(_ x: Tensor, outputChannels f: Int, stride s: Int) -> Tensor {
    precondition(x.rank == 4, "zero_pad_shortcut: input must be [N, C, H, W], got \(x.shape)")
    precondition(s >= 1, "zero_pad_shortcut: stride must be positive, got \(s)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(f >= c, "zero_pad_shortcut: output channels \(f) fewer than input channels \(c)")
    let (oh, ow) = ((h - 1) / s + 1, (w - 1) / s + 1)
    let window = Window(kernel: (1, 1), stride: (s, s), padding: (0, 0))
    if x.isMeta { return Tensor(meta: [n, f, oh, ow]).traced("zero_pad_shortcut", [x], window: window) }
    let y = Tensor(zeros: [n, f, oh, ow])
    let src = x.storage.base, dst = y.storage.base
    for b in 0..<n {
        for ch in 0..<c {
            let xp = src + (b * c + ch) * h * w, yp = dst + (b * f + ch) * oh * ow   // seek: x[b, ch], y[b, ch]
            for i in 0..<oh { for j in 0..<ow { yp[i * ow + j] = xp[i * s * w + j * s] } }
        }
    }
    return y.traced("zero_pad_shortcut", [x], window: window).recording("zero_pad_shortcut", [x]) { g, _ in
        // Backward of y[b, ch, i, j] = x[b, ch, i·s, j·s]: scatter into the subsampled positions.
        let gx = Tensor(zeros: [n, c, h, w])
        let gp = g.storage.base, dp = gx.storage.base
        for b in 0..<n {
            for ch in 0..<c {
                let from = gp + (b * f + ch) * oh * ow, to = dp + (b * c + ch) * h * w
                for i in 0..<oh { for j in 0..<ow { to[i * s * w + j * s] = from[i * ow + j] } }
            }
        }
        return [gx]
    }
}
