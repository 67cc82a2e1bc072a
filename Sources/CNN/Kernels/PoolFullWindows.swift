// Pooling fast paths for windows that lie wholly inside the input: no padding, no dilation,
// and the last window ending inside the plane (always so in floor mode without padding).
// That covers LeNet's 2x2/2 pools, VGG's 2x2/2, AlexNet's and ResNet's 3x3/2 without padding.
// Every tap is then in range, the average divisor is KH·KW under both conventions, and the
// loops need none of the per-window tables of PoolKernels.swift (whose array reads per
// output pixel made LeNet-5's pools about 8% of a training step). Same summation order and
// the same first-maximum/NaN rule as the general kernels, so the results are identical. Average
// pooling 2x2/2 takes eight outputs at a time (two rows of sixteen inputs, even and odd lanes
// added in the scalar loop's order); its backward writes each share into its window directly.

/// True when every window of `window` on an h x w plane with an oh x ow output is full.
@inline(__always)
func poolWindowsAreFull(_ window: Window, h: Int, w: Int, oh: Int, ow: Int) -> Bool {
    window.padding == (0, 0) && window.dilation == (1, 1)
        && (oh - 1) * window.stride.0 + window.kernel.0 <= h && (ow - 1) * window.stride.1 + window.kernel.1 <= w
}

/// Max pooling over full windows: output and argmax (index h·W + w in its plane).
func maxPool2dFullWindows(_ x: Tensor, _ window: Window, outputShape: [Int]) -> (Tensor, [Int32]) {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    let (kh, kw) = window.kernel, (sh, sw) = window.stride
    let y = Tensor(uninitialized: outputShape)
    var argmax = [Int32](repeating: 0, count: y.count)
    argmax.withUnsafeMutableBufferPointer { ap in
        let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base), ams = SendablePointer(ap.baseAddress!)
        parallelRanges(planes, minimumPerTask: max(1, (1 << 15) / max(1, h * w))) { range in
            for pl in range {
                let xp = xs.p + pl &* h &* w, yp = ys.p + pl &* oh &* ow, amp = ams.p + pl &* oh &* ow
                for r in 0..<oh {
                    for q in 0..<ow {
                        let first = r &* sh &* w &+ q &* sw
                        var at = first, best = -Float.infinity
                        for i in 0..<kh {
                            let rowBase = first &+ i &* w
                            for j in 0..<kw {
                                let v = xp[rowBase &+ j]
                                if v > best || v.isNaN { best = v; at = rowBase &+ j }
                            }
                        }
                        yp[r &* ow &+ q] = best
                        amp[r &* ow &+ q] = Int32(truncatingIfNeeded: at)
                    }
                }
            }
        }
    }
    return (y, argmax)
}

/// Average pooling over full windows: the window sum divided by KH·KW (a division, as in the
/// general kernel, so the result matches it bit for bit).
func avgPool2dFullWindows(_ x: Tensor, _ window: Window, outputShape: [Int]) -> Tensor {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    let (kh, kw) = window.kernel, (sh, sw) = window.stride
    let divisor = Float(kh * kw)
    let y = Tensor(uninitialized: outputShape)
    let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base)
    let pairs = (kh, kw, sh, sw) == (2, 2, 2, 2)   // LeNet's and VGG-style 2x2/2: eight outputs per step
    parallelRanges(planes, minimumPerTask: max(1, (1 << 15) / max(1, h * w))) { range in
        for pl in range {
            let xp = xs.p + pl &* h &* w, yp = ys.p + pl &* oh &* ow
            for r in 0..<oh {
                var q0 = 0
                if pairs {
                    // x00 + x01 + x10 + x11 in the scalar loop's order, for outputs q0 ..< q0 + 8
                    let top = xp + 2 &* r &* w, bottom = top + w, d = SIMD8<Float>(repeating: divisor)
                    while q0 + 8 <= ow {
                        let a = load16(top + 2 &* q0), b = load16(bottom + 2 &* q0)
                        store8((((a.evenHalf + a.oddHalf) + b.evenHalf) + b.oddHalf) / d, yp + (r &* ow &+ q0))
                        q0 += 8
                    }
                }
                for q in q0..<ow {
                    let first = xp + (r &* sh &* w &+ q &* sw)
                    var sum: Float = 0
                    for i in 0..<kh {
                        let row = first + i &* w
                        for j in 0..<kw { sum += row[j] }
                    }
                    yp[r &* ow &+ q] = sum / divisor
                }
            }
        }
    }
    return y
}

/// Average pooling backward over full windows: dx[window] += gy / (KH·KW).
func avgPool2dBackwardFullWindows(_ g: Tensor, _ window: Window, inputShape: [Int]) -> Tensor {
    let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
    let (oh, ow) = (g.shape[2], g.shape[3])
    let (kh, kw) = window.kernel, (sh, sw) = window.stride
    let divisor = Float(kh * kw)
    // Windows that tile the plane exactly (2x2/2 on an even plane): every input gets one share,
    // written directly (0 + share, as the accumulating loop would give) without zeroing first.
    let tiles = kh == sh && kw == sw && oh * kh == h && ow * kw == w
    let dx = tiles ? Tensor(uninitialized: inputShape) : Tensor(zeros: inputShape)
    let gs = SendablePointer(g.storage.base), ds = SendablePointer(dx.storage.base)
    parallelRanges(planes, minimumPerTask: max(1, (1 << 15) / max(1, h * w))) { range in
        for pl in range {
            let gp = gs.p + pl &* oh &* ow, dp = ds.p + pl &* h &* w
            for r in 0..<oh {
                var q0 = 0
                if tiles && (kh, kw) == (2, 2) {   // eight shares, each written twice in both rows
                    let top = dp + 2 &* r &* w, bottom = top + w, d = SIMD8<Float>(repeating: divisor)
                    while q0 + 8 <= ow {
                        let s = SIMD8<Float>() + load8(gp + (r &* ow &+ q0)) / d
                        let lo = SIMD8<Float>(s[0], s[0], s[1], s[1], s[2], s[2], s[3], s[3])
                        let hi = SIMD8<Float>(s[4], s[4], s[5], s[5], s[6], s[6], s[7], s[7])
                        store8(lo, top + 2 &* q0); store8(hi, top + 2 &* q0 + 8)
                        store8(lo, bottom + 2 &* q0); store8(hi, bottom + 2 &* q0 + 8)
                        q0 += 8
                    }
                }
                for q in q0..<ow {
                    let share = gp[r &* ow &+ q] / divisor
                    let first = dp + (r &* sh &* w &+ q &* sw)
                    for i in 0..<kh {
                        let row = first + i &* w
                        for j in 0..<kw { if tiles { row[j] = 0 + share } else { row[j] += share } }
                    }
                }
            }
        }
    }
    return dx
}
