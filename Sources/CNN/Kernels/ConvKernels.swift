import Synchronization

// Convolution kernels: im2col (Im2Col.swift) + one sgemm per image and group.
// Legend: n batch, c in-channel, f out-channel, grp group, cg = C/groups, fg = F/groups,
// K = cg·KH·KW (rows of the column matrix), P = OH·OW (output pixels per image).
//
//   forward      y[n, grp]  [fg, P] = W[grp] [fg, K] · col(x[n, grp]) [K, P]   (+ b)
//   input grad   dcol       [K, P]  = W[grp]ᵀ [K, fg] · gy[n, grp] [fg, P],  dx[n, grp] = col2im(dcol)
//   weight grad  dW[grp]    [fg, K] += gy[n, grp] [fg, P] · col(x[n, grp])ᵀ [P, K]   (summed over n)
//   bias grad    db[f]      = Σ_n Σ_p gy[n, f, p]
//
// A 1x1, stride-1, unpadded convolution skips im2col: col(x[n, grp]) is x[n, grp] itself.
//
// Input gradient of a stride-1 convolution. The dcol GEMM above has inner size fg (64 for a
// VGG layer): little work per element of its [K, P] result, which col2im then reads again.
// With stride 1 the input gradient is itself a convolution:
//   dx[c, ih, iw] = Σ_f Σ_i Σ_j gy[f, ih + p − i·d, iw + …] · w[f, c, i, j]
//                 = conv(gy, w̃) with w̃[c, f, i, j] = w[f, c, KH−1−i, KW−1−j] and padding d·(K−1) − p,
// a [cg, fg·KH·KW] · [fg·KH·KW, H·W] GEMM shaped like the forward one, with no scatter. It is
// used whenever that padding is not negative; other convolutions take the col2im path.
//
// Threading. Two ways to use the two (or more) cores:
//   .perImage  images split over Engine.threadCount tasks, each running single-threaded BLAS
//              on its own column buffer (im2col and col2im run in parallel too);
//   .blas      images one after another, each GEMM on BLAS's own threads.
// Measured with `course bench conv` (batch 32, 2 cores) .perImage is faster on every layer
// of the benchmark (im2col/col2im stay parallel and small GEMMs do not pay BLAS's
// fork/join), so it is the default whenever the batch has at least as many images as threads.
// Both are deterministic: the weight gradient sums per-task partials in task order.

/// How the convolution kernels spread work over cores (see the notes in ConvKernels.swift).
package enum ConvThreading: Int, Sendable {
    case automatic, perImage, blas
}

package enum ConvSettings {
    private static let threadingRaw = Atomic<Int>(ConvThreading.automatic.rawValue)
    /// Overrides the automatic choice (for `course bench conv --threading`).
    package static var threading: ConvThreading {
        get { ConvThreading(rawValue: threadingRaw.load(ordering: .relaxed)) ?? .automatic }
        set { threadingRaw.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// Number of image tasks for a batch of `n` (1 means: sequential images, threaded BLAS).
    static func imageTasks(_ n: Int, _ threading: ConvThreading) -> Int {
        switch threading {
        case .blas: return 1
        case .perImage: return max(1, min(Engine.threadCount, n))
        case .automatic: return n >= Engine.threadCount ? Engine.threadCount : 1
        }
    }
}

/// Runs `body(task, images)` for `tasks` contiguous slices of 0..<n. With more than one task,
/// BLAS is single-threaded inside so the cores are never oversubscribed.
private func forEachImageSlice(_ n: Int, tasks: Int, _ body: (_ task: Int, _ images: Range<Int>) -> Void) {
    if tasks <= 1 { body(0, 0..<n); return }
    Engine.withSingleThreadedBLAS {
        parallelRanges(tasks) { ts in
            for t in ts { body(t, (n * t / tasks)..<(n * (t + 1) / tasks)) }
        }
    }
}

/// Forward convolution through im2col + sgemm. Returns [N, F, OH, OW].
package func conv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: ConvGeometry,
                           threading: ConvThreading = ConvSettings.threading) -> Tensor {
    let y = Tensor(uninitialized: [g.n, g.f, g.oh, g.ow])
    let (cg, fg, p) = (g.channelsPerGroup, g.filtersPerGroup, g.oh * g.ow)
    let k = cg * g.kh * g.kw
    let xs = SendablePointer(x.storage.base), ws = SendablePointer(weight.storage.base)
    let ys = SendablePointer(y.storage.base), bs = bias.map { SendablePointer($0.storage.base) }
    let tasks = ConvSettings.imageTasks(g.n, threading)
    forEachImageSlice(g.n, tasks: tasks) { _, images in
        let col = g.isPointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: k * p)
        defer { col?.deallocate() }
        for n in images {
            let yn = ys.p + n * g.f * p
            if let bs {   // y[n, f, :] = b[f]; the GEMM then adds onto it (beta = 1)
                for f in 0..<g.f { (yn + f * p).update(repeating: bs.p[f], count: p) }
            }
            for grp in 0..<g.groups {
                let xg = UnsafePointer(xs.p + (n * g.c + grp * cg) * g.h * g.w)
                let b: UnsafePointer<Float>
                if let col { im2col(xg, channels: cg, g, into: col); b = UnsafePointer(col) } else { b = xg }
                sgemm(m: fg, n: p, k: k, a: ws.p + grp * fg * k, lda: k, b: b, ldb: p,
                      beta: bias == nil ? 0 : 1, c: yn + grp * fg * p, ldc: p)
            }
        }
    }
    return y
}

/// Gradients of the convolution with respect to input, weight and bias (nil where not needed).
package func conv2dBackward(_ gy: Tensor, x: Tensor, weight: Tensor, hasBias: Bool, _ g: ConvGeometry,
                            needInput: Bool, needWeight: Bool, needBias: Bool,
                            threading: ConvThreading = ConvSettings.threading) -> (Tensor?, Tensor?, Tensor?) {
    let (cg, fg, p) = (g.channelsPerGroup, g.filtersPerGroup, g.oh * g.ow)
    let k = cg * g.kh * g.kw
    let flipped = needInput && !g.isPointwise ? transposedConvolution(weight, g) : nil
    let scatter = needInput && !g.isPointwise && flipped == nil   // input gradient through col2im
    let dx: Tensor? = needInput ? (scatter ? Tensor(zeros: x.shape) : Tensor(uninitialized: x.shape)) : nil
    let dw: Tensor? = needWeight ? Tensor(zeros: weight.shape) : nil
    let colCount = max(k * p, flipped.map { $0.geometry.channelsPerGroup * g.kh * g.kw * g.h * g.w } ?? 0)
    if needInput || needWeight {
        let tasks = ConvSettings.imageTasks(g.n, threading)
        let weightCount = g.f * k
        // Task 0 accumulates into dw itself; the others into their own partial sums.
        let partials = needWeight && tasks > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: (tasks - 1) * weightCount) : nil
        defer { partials?.deallocate() }
        let xs = SendablePointer(x.storage.base), ws = SendablePointer(weight.storage.base)
        let gs = SendablePointer(gy.storage.base)
        let dxs = dx.map { SendablePointer($0.storage.base) }, dws = dw.map { SendablePointer($0.storage.base) }
        let ps = partials.map { SendablePointer($0) }
        forEachImageSlice(g.n, tasks: tasks) { task, images in
            let dwTask = dws.map { task == 0 ? $0.p : ps!.p + (task - 1) * weightCount }
            let col = g.isPointwise ? nil : UnsafeMutablePointer<Float>.allocate(capacity: colCount)
            defer { col?.deallocate() }
            for n in images {
                for grp in 0..<g.groups {
                    let xg = UnsafePointer(xs.p + (n * g.c + grp * cg) * g.h * g.w)
                    let gyg = UnsafePointer(gs.p + (n * g.f + grp * fg) * p)
                    let wg = UnsafePointer(ws.p + grp * fg * k)
                    if let dwTask {   // dW[grp] (+)= gy[n, grp] · col(x[n, grp])ᵀ
                        let b: UnsafePointer<Float>
                        if let col { im2col(xg, channels: cg, g, into: col); b = UnsafePointer(col) } else { b = xg }
                        sgemm(transposeB: true, m: fg, n: k, k: p, a: gyg, lda: p, b: b, ldb: p,
                              beta: n == images.lowerBound ? 0 : 1, c: dwTask + grp * fg * k, ldc: k)
                    }
                    if let dxs {   // dcol = W[grp]ᵀ · gy[n, grp], scattered back by col2im
                        let dxg = dxs.p + (n * g.c + grp * cg) * g.h * g.w
                        if let col, let flipped {   // dx[n, grp] = w̃[grp] · col(gy[n, grp])
                            let kt = fg * g.kh * g.kw
                            im2col(gyg, channels: fg, flipped.geometry, into: col)
                            sgemm(m: cg, n: g.h * g.w, k: kt, a: flipped.weight.p + grp * cg * kt, lda: kt,
                                  b: col, ldb: g.h * g.w, c: dxg, ldc: g.h * g.w)
                        } else if let col {
                            sgemm(transposeA: true, m: k, n: p, k: fg, a: wg, lda: k, b: gyg, ldb: p, c: col, ldc: p)
                            col2im(col, channels: cg, g, into: dxg)
                        } else {
                            sgemm(transposeA: true, m: k, n: p, k: fg, a: wg, lda: k, b: gyg, ldb: p, c: dxg, ldc: p)
                        }
                    }
                }
            }
        }
        if let dw, let partials {   // fixed order: dw = part_0 + part_1 + … (deterministic)
            let d = dw.storage.base
            for t in 0..<(tasks - 1) {
                let part = partials + t * weightCount
                for i in 0..<weightCount { d[i] += part[i] }
            }
        }
    }
    return (dx, dw, needBias ? conv2dBiasGradient(gy, g) : nil)
}

/// For a stride-1 convolution whose padding is at most d·(K − 1) on both axes: the geometry of
/// the convolution of gy that yields dx, and its weight w̃[c, f, i, j] = w[f, c, KH−1−i, KW−1−j]
/// ([C, F/groups, KH, KW], grouped like the input channels). nil for other convolutions.
private func transposedConvolution(_ weight: Tensor, _ g: ConvGeometry)
    -> (geometry: ConvGeometry, weight: SendablePointer<Float>, storage: Tensor)? {
    let pad = (g.dilation.0 * (g.kh - 1) - g.padding.0, g.dilation.1 * (g.kw - 1) - g.padding.1)
    guard g.stride == (1, 1), pad.0 >= 0, pad.1 >= 0 else { return nil }
    let (cg, fg, taps) = (g.channelsPerGroup, g.filtersPerGroup, g.kh * g.kw)
    let geometry = ConvGeometry(input: [g.n, g.f, g.oh, g.ow], weight: [g.c, fg, g.kh, g.kw],
                                padding: pad, dilation: g.dilation, groups: g.groups)
    let flipped = Tensor(uninitialized: [g.c, fg, g.kh, g.kw])
    let w = weight.storage.base, t = flipped.storage.base
    for grp in 0..<g.groups { for f in 0..<fg { for c in 0..<cg { for tap in 0..<taps {
        // w̃[grp·cg + c, f, tap'] = w[grp·fg + f, c, tap] with tap' = taps − 1 − tap (both axes flipped)
        t[((grp * cg + c) * fg + f) * taps + (taps - 1 - tap)] = w[((grp * fg + f) * cg + c) * taps + tap]
    } } } }
    return (geometry, SendablePointer(t), flipped)
}

/// db[f] = Σ_n Σ_p gy[n, f, p], parallel over f (each sum in a fixed order).
func conv2dBiasGradient(_ gy: Tensor, _ g: ConvGeometry) -> Tensor {
    let db = Tensor(uninitialized: [g.f])
    let p = g.oh * g.ow
    let gs = SendablePointer(gy.storage.base), ds = SendablePointer(db.storage.base)
    parallelRanges(g.f, minimumPerTask: max(1, (1 << 16) / max(1, g.n * p))) { fs in
        for f in fs {
            var acc: Float = 0
            for n in 0..<g.n {
                let row = gs.p + (n * g.f + f) * p
                var s: Float = 0
                for i in 0..<p { s += row[i] }
                acc += s
            }
            ds.p[f] = acc
        }
    }
    return db
}
