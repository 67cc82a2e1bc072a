// Pooling fast paths for windows that lie wholly inside the input: no padding, no dilation,
// and the last window ending inside the plane (always so in floor mode without padding).
// That covers LeNet's 2x2/2 pools, VGG's 2x2/2, AlexNet's and ResNet's 3x3/2 without padding.
// Every tap is then in range, the average divisor is KH·KW under both conventions, and the
// loops need none of the per-window tables of PoolKernels.swift (whose array reads per
// output pixel made LeNet-5's pools about 8% of a training step). Same summation order and
// the same first-maximum/NaN rule as the general kernels, so the results are identical.

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
    parallelRanges(planes, minimumPerTask: max(1, (1 << 15) / max(1, h * w))) { range in
        for pl in range {
            let xp = xs.p + pl &* h &* w, yp = ys.p + pl &* oh &* ow
            for r in 0..<oh {
                for q in 0..<ow {
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
    let dx = Tensor(zeros: inputShape)
    let gs = SendablePointer(g.storage.base), ds = SendablePointer(dx.storage.base)
    parallelRanges(planes, minimumPerTask: max(1, (1 << 15) / max(1, h * w))) { range in
        for pl in range {
            let gp = gs.p + pl &* oh &* ow, dp = ds.p + pl &* h &* w
            for r in 0..<oh {
                for q in 0..<ow {
                    let share = gp[r &* ow &+ q] / divisor
                    let first = dp + (r &* sh &* w &+ q &* sw)
                    for i in 0..<kh {
                        let row = first + i &* w
                        for j in 0..<kw { row[j] += share }
                    }
                }
            }
        }
    }
    return dx
}
