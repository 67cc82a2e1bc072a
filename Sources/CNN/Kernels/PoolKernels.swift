// Pooling kernels, parallel over the N·C planes. Legend: n batch, c channel, (h, w) input
// pixel, (oh, ow) output pixel, (i, j) window tap.
//
// The taps of each window that land inside the input are worked out once per output row and
// once per output column (`AxisWindows`), so the inner loops run over clipped ranges with no
// bounds test. Each plane is independent and each backward writes only its own plane, so the
// results do not depend on the number of threads. PoolReference.swift holds the plain loops
// these are tested against.

/// For every output position along one axis: the window's first tap coordinate (may be
/// negative: padding), the taps that land inside the input, and PyTorch's average-pool
/// divisor length (the window clipped to the padded input).
struct AxisWindows {
    var start: [Int] = [], taps: [Range<Int>] = [], paddedLength: [Int] = []

    init(size: Int, outSize: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) {
        for o in 0..<outSize {
            let s = o * stride - padding
            let lo = max(0, ceilDiv(-s, dilation)), hi = min(kernel, ceilDiv(size - s, dilation))
            start.append(s)
            taps.append(lo..<max(lo, hi))
            paddedLength.append(min(s + kernel, size + padding) - s)
        }
    }
}

/// Enough planes per task that a task has some 32k input elements to chew on.
@inline(__always)
private func planesPerTask(_ planeSize: Int) -> Int { max(1, (1 << 15) / max(1, planeSize)) }

/// Max pooling forward: the output and, per output element, the index h·W + w of its maximum
/// within its own [H, W] plane (the first maximum; a NaN wins, as in PyTorch).
package func maxPool2dForward(_ x: Tensor, _ window: Window, outputShape: [Int]) -> (Tensor, [Int32]) {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    precondition(h * w <= Int(Int32.max), "max_pool2d: plane \(h)x\(w) is too large for 32-bit argmax indices")
    if poolWindowsAreFull(window, h: h, w: w, oh: oh, ow: ow) { return maxPool2dFullWindows(x, window, outputShape: outputShape) }
    let (rows, cols) = poolWindows(h, w, oh, ow, window)
    let (dh, dw) = window.dilation
    let y = Tensor(uninitialized: outputShape)
    var argmax = [Int32](repeating: 0, count: y.count)
    argmax.withUnsafeMutableBufferPointer { ap in
        let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base), ams = SendablePointer(ap.baseAddress!)
        parallelRanges(planes, minimumPerTask: planesPerTask(h * w)) { range in
            for pl in range {
                let xp = xs.p + pl * h * w, yp = ys.p + pl * oh * ow, amp = ams.p + pl * oh * ow
                for r in 0..<oh {
                    let (rs, ri) = (rows.start[r], rows.taps[r])
                    for q in 0..<ow {
                        let (cs, cj) = (cols.start[q], cols.taps[q])
                        // first tap inside the input starts the search (PyTorch's initial index)
                        var at = (rs + ri.lowerBound * dh) * w + cs + cj.lowerBound * dw
                        var best = -Float.infinity
                        for i in ri {
                            let rowBase = (rs + i * dh) * w + cs
                            for j in cj {
                                let idx = rowBase + j * dw
                                let v = xp[idx]
                                if v > best || v.isNaN { best = v; at = idx }
                            }
                        }
                        yp[r * ow + q] = best
                        amp[r * ow + q] = Int32(truncatingIfNeeded: at)
                    }
                }
            }
        }
    }
    return (y, argmax)
}

/// Max pooling backward: each output gradient goes to the input pixel that won its window
/// (overlapping windows accumulate).
package func maxPool2dBackward(_ g: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    let dx = Tensor(zeros: inputShape)
    let (planes, planeSize) = (inputShape[0] * inputShape[1], inputShape[2] * inputShape[3])
    let outPlane = g.count / max(planes, 1)
    argmax.withUnsafeBufferPointer { ap in
        let gs = SendablePointer(g.storage.base), ds = SendablePointer(dx.storage.base)
        let ams = SendablePointer(UnsafeMutablePointer(mutating: ap.baseAddress!))
        parallelRanges(planes, minimumPerTask: planesPerTask(planeSize)) { range in
            for pl in range {
                let gp = gs.p + pl * outPlane, dp = ds.p + pl * planeSize, amp = ams.p + pl * outPlane
                for o in 0..<outPlane { dp[Int(amp[o])] += gp[o] }   // dx[argmax] += gy
            }
        }
    }
    return dx
}

/// Average pooling forward (see `avgPool2d` for the divisor rule).
package func avgPool2dForward(_ x: Tensor, _ window: Window, outputShape: [Int], countIncludePad: Bool) -> Tensor {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    if poolWindowsAreFull(window, h: h, w: w, oh: oh, ow: ow) { return avgPool2dFullWindows(x, window, outputShape: outputShape) }
    let (rows, cols) = poolWindows(h, w, oh, ow, window)
    let y = Tensor(uninitialized: outputShape)
    let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base)
    parallelRanges(planes, minimumPerTask: planesPerTask(h * w)) { range in
        for pl in range {
            let xp = xs.p + pl * h * w, yp = ys.p + pl * oh * ow
            for r in 0..<oh {
                let (rs, ri) = (rows.start[r], rows.taps[r])
                for q in 0..<ow {
                    let (cs, cj) = (cols.start[q], cols.taps[q])
                    var sum: Float = 0
                    for i in ri {
                        let row = xp + (rs + i) * w + cs
                        for j in cj { sum += row[j] }
                    }
                    let divisor = countIncludePad ? rows.paddedLength[r] * cols.paddedLength[q] : ri.count * cj.count
                    yp[r * ow + q] = sum / Float(divisor)
                }
            }
        }
    }
    return y
}

/// Average pooling backward: dx[window] += gy / divisor, the divisor of the forward pass.
package func avgPool2dBackward(_ g: Tensor, _ window: Window, inputShape: [Int], countIncludePad: Bool) -> Tensor {
    let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
    let (oh, ow) = (g.shape[2], g.shape[3])
    if poolWindowsAreFull(window, h: h, w: w, oh: oh, ow: ow) { return avgPool2dBackwardFullWindows(g, window, inputShape: inputShape) }
    let (rows, cols) = poolWindows(h, w, oh, ow, window)
    let dx = Tensor(zeros: inputShape)
    let gs = SendablePointer(g.storage.base), ds = SendablePointer(dx.storage.base)
    parallelRanges(planes, minimumPerTask: planesPerTask(h * w)) { range in
        for pl in range {
            let gp = gs.p + pl * oh * ow, dp = ds.p + pl * h * w
            for r in 0..<oh {
                let (rs, ri) = (rows.start[r], rows.taps[r])
                for q in 0..<ow {
                    let (cs, cj) = (cols.start[q], cols.taps[q])
                    let divisor = countIncludePad ? rows.paddedLength[r] * cols.paddedLength[q] : ri.count * cj.count
                    let share = gp[r * ow + q] / Float(divisor)
                    for i in ri {
                        let row = dp + (rs + i) * w + cs
                        for j in cj { row[j] += share }
                    }
                }
            }
        }
    }
    return dx
}

/// The clipped windows of every output row and column of a pooling over `win` (average pooling
/// builds its windows without dilation, so theirs is 1).
private func poolWindows(_ h: Int, _ w: Int, _ oh: Int, _ ow: Int, _ win: Window) -> (AxisWindows, AxisWindows) {
    (AxisWindows(size: h, outSize: oh, kernel: win.kernel.0, stride: win.stride.0, padding: win.padding.0, dilation: win.dilation.0),
     AxisWindows(size: w, outSize: ow, kernel: win.kernel.1, stride: win.stride.1, padding: win.padding.1, dilation: win.dilation.1))
}

/// Rows ⌊r·H/OH⌋ ..< ⌈(r+1)·H/OH⌉ of adaptive pooling, as (start, taps from start) pairs.
private func adaptiveWindows(size: Int, outSize: Int) -> AxisWindows {
    var a = AxisWindows(size: 0, outSize: 0, kernel: 1, stride: 1, padding: 0, dilation: 1)
    for o in 0..<outSize {
        let lo = o * size / outSize, hi = ((o + 1) * size + outSize - 1) / outSize
        a.start.append(lo); a.taps.append(0..<(hi - lo)); a.paddedLength.append(hi - lo)
    }
    return a
}

/// Adaptive average pooling forward (windows as in `adaptiveAvgPool2d`).
package func adaptiveAvgPool2dForward(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = outputSize
    let rows = adaptiveWindows(size: h, outSize: oh), cols = adaptiveWindows(size: w, outSize: ow)
    let y = Tensor(uninitialized: [n, c, oh, ow])
    let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base)
    parallelRanges(n * c, minimumPerTask: planesPerTask(h * w)) { range in
        for pl in range {
            let xp = xs.p + pl * h * w, yp = ys.p + pl * oh * ow
            for r in 0..<oh {
                for q in 0..<ow {
                    var sum: Float = 0
                    for i in rows.taps[r] {
                        let row = xp + (rows.start[r] + i) * w + cols.start[q]
                        for j in cols.taps[q] { sum += row[j] }
                    }
                    yp[r * ow + q] = sum / Float(rows.taps[r].count * cols.taps[q].count)
                }
            }
        }
    }
    return y
}

/// Adaptive average pooling backward: each cell's gradient spread evenly over its window.
package func adaptiveAvgPool2dBackward(_ g: Tensor, inputShape: [Int]) -> Tensor {
    let (planes, h, w) = (inputShape[0] * inputShape[1], inputShape[2], inputShape[3])
    let (oh, ow) = (g.shape[2], g.shape[3])
    let rows = adaptiveWindows(size: h, outSize: oh), cols = adaptiveWindows(size: w, outSize: ow)
    let dx = Tensor(zeros: inputShape)
    let gs = SendablePointer(g.storage.base), ds = SendablePointer(dx.storage.base)
    parallelRanges(planes, minimumPerTask: planesPerTask(h * w)) { range in
        for pl in range {
            let gp = gs.p + pl * oh * ow, dp = ds.p + pl * h * w
            for r in 0..<oh {
                for q in 0..<ow {
                    let share = gp[r * ow + q] / Float(rows.taps[r].count * cols.taps[q].count)
                    for i in rows.taps[r] {
                        let row = dp + (rows.start[r] + i) * w + cols.start[q]
                        for j in cols.taps[q] { row[j] += share }
                    }
                }
            }
        }
    }
    return dx
}

/// Max pooling forward without the argmax (no gradient will be asked for: inference). Per
/// output row, the maximum over the window's input rows is taken first, a vector at a time, into
/// a row buffer; each output then takes the maximum over its window's columns of that buffer.
/// Same values as `maxPool2dForward` (a NaN in a window gives NaN).
package func maxPool2dValues(_ x: Tensor, _ window: Window, outputShape: [Int]) -> Tensor {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (outputShape[2], outputShape[3])
    let (rows, cols) = poolWindows(h, w, oh, ow, window)
    let (dh, dw) = window.dilation
    let y = Tensor(uninitialized: outputShape)
    let xs = SendablePointer(x.storage.base), ys = SendablePointer(y.storage.base)
    rows.start.withUnsafeBufferPointer { rowStart in rows.taps.withUnsafeBufferPointer { rowTaps in
    cols.start.withUnsafeBufferPointer { colStart in cols.taps.withUnsafeBufferPointer { colTaps in
        let (rs, rt, cs, ct) = (rowStart, rowTaps, colStart, colTaps)
        parallelRanges(planes, minimumPerTask: planesPerTask(h * w)) { range in
            let line = UnsafeMutablePointer<Float>.allocate(capacity: w)
            defer { line.deallocate() }
            let vectors = w / 8
            for pl in range {
                let xp = xs.p + pl &* h &* w, yp = ys.p + pl &* oh &* ow
                for r in 0..<oh {
                    let taps = rt[r]
                    guard let first = taps.first else {   // no input row in the window (not reachable from maxPool2d)
                        (yp + r &* ow).update(repeating: -.infinity, count: ow); continue
                    }
                    // line = max over the window's rows, NaN-propagating: take v where v > m or v is NaN
                    line.update(from: xp + (rs[r] &+ first &* dh) &* w, count: w)
                    for i in taps.dropFirst() {
                        let src = xp + (rs[r] &+ i &* dh) &* w
                        for v in 0..<vectors {
                            let a = UnsafeRawPointer(src + v &* 8).loadUnaligned(as: SIMD8<Float>.self)
                            var m = UnsafeRawPointer(line + v &* 8).loadUnaligned(as: SIMD8<Float>.self)
                            m.replace(with: a, where: (a .> m) .| (a .!= a))
                            UnsafeMutableRawPointer(line + v &* 8).storeBytes(of: m, as: SIMD8<Float>.self)
                        }
                        for q in (vectors &* 8)..<w {
                            let a = src[q]
                            if a > line[q] || a.isNaN { line[q] = a }
                        }
                    }
                    let out = yp + r &* ow
                    for q in 0..<ow {
                        let c0 = cs[q], jt = ct[q]
                        var best = -Float.infinity
                        for j in jt {   // a select, not a branch: which tap wins is data-dependent
                            let v = line[c0 &+ j &* dw]
                            best = (v > best) || (v != v) ? v : best
                        }
                        out[q] = best
                    }
                }
            }
        }
    } } } }
    return y
}
