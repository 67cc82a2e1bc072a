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
// used when that padding is not negative and its column matrix is at most twice col2im's
// (fg·H·W <= 2·cg·OH·OW); other convolutions take the col2im path.
//
// Threading. Two ways to use the two (or more) cores:
//   .perImage  images split over Engine.threadCount tasks, each running single-threaded BLAS
//              on its own column buffer (im2col and col2im run in parallel too);
//   .blas      images one after another, each GEMM split over the cores by `sgemm` (BLAS
//              itself is always single-threaded; see Engine in Parallel.swift).
// Measured with `course bench conv` (batch 32, 2 cores) .perImage is faster on every layer
// of the benchmark (im2col/col2im stay parallel and small GEMMs do not pay BLAS's
// fork/join), so it is the default whenever the batch has at least as many images as threads.
// Both are deterministic: the weight gradient sums per-task partials in task order.
//
// Small output planes (CIFAR stage 3: P = 64) make narrow GEMMs that re-pack the weights for
// every image; there `imagesPerGEMM` images share one GEMM about 256 columns wide. Measured in
// CPU time (perf stat task-clock, batch 128): 64->64 at 8x8 about 15% less; wider targets
// (2048) were 10-25% worse on every CIFAR stage (the column buffer leaves the L2 cache and the
// gather/scatter copies grow), so planes of 256 pixels and more keep one image per GEMM.

/// How the convolution kernels spread work over cores (see the notes in ConvKernels.swift).
package enum ConvThreading: Int, Sendable {
    case automatic, perImage, blas
}

/// Whether stride-1 convolutions take the direct kernels: for batches of two or more images where they apply (`automatic`), wherever they apply (`always`), or never.
package enum DirectConvolution: Int, Sendable {
    case automatic, always, never
}

/// Whether 3x3 stride-1 convolutions take Winograd's F(2x2, 3x3) (ConvWinograd.swift): where it pays (`automatic`), wherever it applies (`always`), or never.
package enum WinogradConvolution: Int, Sendable {
    case automatic, always, never
}

package enum ConvSettings {
    private static let threadingRaw = Atomic<Int>(ConvThreading.automatic.rawValue)
    /// Overrides the automatic choice (for `course bench conv --threading`).
    package static var threading: ConvThreading {
        get { ConvThreading(rawValue: threadingRaw.load(ordering: .relaxed)) ?? .automatic }
        set { threadingRaw.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// Images whose column matrices share one GEMM, for `pixels` output pixels per image and
    /// `rows` rows of the column matrix, with `images` images per task: enough for a GEMM
    /// about `gemmWidth` columns wide, and a column buffer of at most `columnBudget` floats.
    package static func imagesPerGEMM(pixels: Int, rows: Int, images: Int) -> Int {
        let byWidth = gemmWidth / max(pixels, 1), byMemory = columnBudget / max(rows * pixels, 1)
        return max(1, min(images, byWidth, byMemory))
    }
    /// Target GEMM width (B·P) of the batched convolution path; 1 disables batching.
    package static var gemmWidth: Int {
        get { gemmWidthRaw.load(ordering: .relaxed) }
        set { gemmWidthRaw.store(newValue, ordering: .relaxed) }
    }
    private static let gemmWidthRaw = Atomic<Int>(256)
    static let columnBudget = 1 << 22

    private static let directRaw = Atomic<Int>(DirectConvolution.automatic.rawValue)
    /// Whether stride-1 convolutions use the direct kernels (ConvDirect.swift) instead of
    /// im2col + GEMM (for `course bench conv --direct` and the tests that compare the two).
    package static var direct: DirectConvolution {
        get { DirectConvolution(rawValue: directRaw.load(ordering: .relaxed)) ?? .automatic }
        set { directRaw.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// Bytes of one block of the column matrix in the tiled im2col path (about half of a core's L2).
    package static let columnTileBytes = 1 << 19

    /// Output rows per column block when one image's column matrix ([rows, OH·OW] floats) is larger
    /// than `columnTileBytes` and the plane has room for two blocks of at least 256 pixels
    /// (narrower GEMMs lose more to packing than the cache saves), else nil (the whole matrix at
    /// once). When `splitting` (the blocks are shared among the cores), the number of blocks is a
    /// multiple of the thread count.
    package static func columnTileRows(_ g: ConvGeometry, rows k: Int, splitting: Bool) -> Int? {
        let p = g.oh * g.ow
        guard !g.isPointwise, k * p * 4 > columnTileBytes else { return nil }
        let pixels = max(256, columnTileBytes / (4 * k))
        var tiles = p / pixels
        guard tiles >= 2 else { return nil }   // a small plane with many channels: one GEMM, split by filters
        if splitting { tiles = (tiles + Engine.threadCount - 1) / Engine.threadCount * Engine.threadCount }
        let rows = (g.oh + tiles - 1) / tiles
        return rows < g.oh ? rows : nil
    }

    /// Largest reduction C·KH·KW for which `.automatic` takes the direct kernels.
    package static let directReductionLimit = 512

    /// Whether the convolution of geometry `g` takes the direct kernels under `choice`.
    package static func usesDirect(_ g: ConvGeometry, _ choice: DirectConvolution = direct) -> Bool {
        switch choice {
        case .never: return false
        // One image (batch-1 inference): im2col + a GEMM split over the cores is as fast or faster
        // (`course bench --direct never|always`, quiet machine: ResNet-50 88 against 129 ms,
        // VGG-16 390 against 447 ms, ResNet-18 and DenseNet-121 equal): with hundreds of channels
        // on a 7x7 or 14x14 plane the direct kernel has few vectors per filter block to amortise
        // its loads, while the GEMM reuses each column for every filter.
        // Batches: the direct kernel wins where the GEMM would be thin: a reduction of at most
        // `directReductionLimit` = C·KH·KW (`course bench conv --batch 128 --direct never|always`,
        // forward+backward: CIFAR 16->16 at 32x32 19.7 vs 10.6-10.9 ms, DenseNet-BC 48->12 at 32x32 78-100
        // vs 51-56 ms, LeNet C1/C3 2-3x in the forward pass; 32->32 at 16x16 a wash). From 64 channels of
        // 3x3 on, im2col + GEMM is as fast or faster (VGG 64->64 at 56x56 forward 170-176 vs 221-228 ms,
        // 256->256 at 14x14 116-134 vs 180-206 ms, DenseNet-121 128->32 mixed).
        case .automatic: return g.n >= 2 && g.c * g.kh * g.kw <= directReductionLimit && directConvApplies(g)
        case .always: return directConvApplies(g)
        }
    }

    private static let winogradRaw = Atomic<Int>(WinogradConvolution.automatic.rawValue)
    /// Whether 3x3 stride-1 convolutions (and their input gradients) use Winograd's F(2x2, 3x3)
    /// (for `course bench --winograd` and the tests that compare it with the other paths).
    package static var winograd: WinogradConvolution {
        get { WinogradConvolution(rawValue: winogradRaw.load(ordering: .relaxed)) ?? .automatic }
        set { winogradRaw.store(newValue.rawValue, ordering: .relaxed) }
    }

    /// Whether the convolution of geometry `g` (when it does not take the direct kernels) takes
    /// Winograd's F(2x2, 3x3) under `choice`.
    package static func usesWinograd(_ g: ConvGeometry, _ choice: WinogradConvolution = winograd) -> Bool {
        switch choice {
        case .never: return false
        case .always: return winogradApplies(g)
        // Its 16 GEMMs are [F, C] · [C, T]: with fewer than 64 filters or channels (or tiles) they
        // run far below the single large GEMM of im2col, which then wins (`course profile
        // --winograd never|auto`, batch 1: ResNet-18 64 -> 64 at 56x56 1.46-1.47 against
        // 1.75-1.93 ms, 128 -> 128 at 28x28 1.45 against 1.53-1.72 ms; DenseNet-121 128 -> 32 at
        // 56x56 2.12-2.42 against 2.07-2.08 ms, at 28x28 0.66-0.79 against 0.57-0.61 ms; `course
        // bench conv --batch 128`: CIFAR 64 -> 64 at 8x8 forward 4.6 against 7.1 ms, 32 -> 32 at
        // 16x16 5.6 against the direct kernel's 4.0-4.2 ms). Planes of fewer than 64 tiles (a 14x14
        // or 7x7 plane at batch 1) pay more for the weight transform than the products save.
        case .automatic:
            return winogradApplies(g) && winogradTileCount(g) >= 64 && min(g.c, g.f) >= 64
        }
    }

    /// Number of image tasks for a batch of `n` (1 means: sequential images, each GEMM split by `sgemm`).
    static func imageTasks(_ n: Int, _ threading: ConvThreading) -> Int {
        switch threading {
        case .blas: return 1
        case .perImage: return max(1, min(Engine.threadCount, n))
        case .automatic: return n >= Engine.threadCount ? Engine.threadCount : 1
        }
    }
}

/// Runs `body(task, images)` for `tasks` contiguous slices of 0..<n. With more than one task,
/// the slices form a parallel region, so the GEMMs inside stay on their task's thread.
private func forEachImageSlice(_ n: Int, tasks: Int, _ body: (_ task: Int, _ images: Range<Int>) -> Void) {
    if tasks <= 1 { body(0, 0..<n); return }
    parallelRanges(tasks) { ts in
        for t in ts { body(t, (n * t / tasks)..<(n * (t + 1) / tasks)) }
    }
}

/// Forward convolution through im2col + sgemm. Returns [N, F, OH, OW].
///
/// Images are processed `imagesPerGEMM` at a time: their column matrices sit side by side in
/// one [K, B·P] buffer, so one GEMM of width B·P replaces B narrow ones (a CIFAR stage-3 layer
/// has P = 64: per image, packing the weights costs as much as the product), and the
/// [fg, B·P] result is copied to the B output images.
package func conv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: ConvGeometry,
                           threading: ConvThreading = ConvSettings.threading,
                           direct: DirectConvolution = ConvSettings.direct,
                           winograd: WinogradConvolution = ConvSettings.winograd) -> Tensor {
    let y = Tensor(uninitialized: [g.n, g.f, g.oh, g.ow])
    if ConvSettings.usesDirect(g, direct) {
        directConv(x: x.storage.base, weight: weight.storage.base, bias: bias.map { UnsafePointer($0.storage.base) }, g,
                   into: y.storage.base)
        return y
    }
    if ConvSettings.usesWinograd(g, winograd) {
        winogradConv(x: x.storage.base, weight: weight.storage.base, bias: bias.map { UnsafePointer($0.storage.base) }, g,
                     into: y.storage.base)
        return y
    }
    let (cg, fg, p) = (g.channelsPerGroup, g.filtersPerGroup, g.oh * g.ow)
    let k = cg * g.kh * g.kw
    let xs = SendablePointer(x.storage.base), ws = SendablePointer(weight.storage.base)
    let ys = SendablePointer(y.storage.base), bs = bias.map { SendablePointer($0.storage.base) }
    let tasks = ConvSettings.imageTasks(g.n, threading)
    let batched = g.isPointwise ? 1 : ConvSettings.imagesPerGEMM(pixels: p, rows: k, images: (g.n + tasks - 1) / tasks)
    forEachImageSlice(g.n, tasks: tasks) { _, images in
        if batched > 1 {
            let col = UnsafeMutablePointer<Float>.allocate(capacity: k * batched * p)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: fg * batched * p)
            defer { col.deallocate(); out.deallocate() }
            for n0 in stride(from: images.lowerBound, to: images.upperBound, by: batched) {
                let b = min(batched, images.upperBound - n0), width = b * p
                for grp in 0..<g.groups {
                    for i in 0..<b {
                        im2col(xs.p + ((n0 + i) * g.c + grp * cg) * g.h * g.w, channels: cg, g, into: col + i * p, rowStride: width)
                    }
                    sgemm(m: fg, n: width, k: k, a: ws.p + grp * fg * k, lda: k, b: col, ldb: width, c: out, ldc: width)
                    for i in 0..<b { for f in 0..<fg {   // out[f, i·P ..< (i+1)·P] (+ b[f]) → y[n0 + i, grp·fg + f, :]
                        let src = out + f * width + i * p, dst = ys.p + ((n0 + i) * g.f + grp * fg + f) * p
                        if let bs { let v = bs.p[grp * fg + f]; for q in 0..<p { dst[q] = src[q] + v } }
                        else { dst.update(from: src, count: p) }
                    } }
                }
            }
            return
        }
        let tileRows = ConvSettings.columnTileRows(g, rows: k, splitting: tasks == 1)
        let col = g.isPointwise || tileRows != nil ? nil : UnsafeMutablePointer<Float>.allocate(capacity: k * p)
        defer { col?.deallocate() }
        for n in images {
            let yn = ys.p + n * g.f * p
            if let bs {   // y[n, f, :] = b[f]; the GEMM then adds onto it (beta = 1)
                for f in 0..<g.f { (yn + f * p).update(repeating: bs.p[f], count: p) }
            }
            for grp in 0..<g.groups {
                let xg = UnsafePointer(xs.p + (n * g.c + grp * cg) * g.h * g.w)
                if let tileRows {
                    // A large image: blocks of output rows, each filled and multiplied while its columns
                    // are in the cache; the blocks run in parallel when this image is the only task.
                    let tiles = (g.oh + tileRows - 1) / tileRows, xSlice = SendablePointer(UnsafeMutablePointer(mutating: xg))
                    parallelRanges(tiles) { ts in
                        let block = UnsafeMutablePointer<Float>.allocate(capacity: k * tileRows * g.ow)
                        defer { block.deallocate() }
                        for t in ts {
                            let r0 = t * tileRows, r1 = min(g.oh, r0 + tileRows), width = (r1 - r0) * g.ow
                            im2col(xSlice.p, channels: cg, g, into: block, outputRows: r0..<r1)
                            sgemm(m: fg, n: width, k: k, a: ws.p + grp * fg * k, lda: k, b: block, ldb: width,
                                  beta: bias == nil ? 0 : 1, c: yn + grp * fg * p + r0 * g.ow, ldc: p)
                        }
                    }
                    continue
                }
                let b: UnsafePointer<Float>
                if let col {
                    // One task (a single image): the channels' rows of col are filled in parallel
                    // (inside a per-image task this runs serially), as the GEMM after it is split.
                    let taps = g.kh * g.kw, colSlice = SendablePointer(col), xSlice = SendablePointer(UnsafeMutablePointer(mutating: xg))
                    parallelRanges(cg, minimumPerTask: max(1, (1 << 15) / max(1, taps * p))) { cs in
                        im2col(xSlice.p + cs.lowerBound * g.h * g.w, channels: cs.count, g, into: colSlice.p + cs.lowerBound * taps * p)
                    }
                    b = UnsafePointer(col)
                } else { b = xg }
                sgemm(m: fg, n: p, k: k, a: ws.p + grp * fg * k, lda: k, b: b, ldb: p,
                      beta: bias == nil ? 0 : 1, c: yn + grp * fg * p, ldc: p)
            }
        }
    }
    return y
}

/// Gradients of the convolution with respect to input, weight and bias (nil where not needed).
///
/// Like the forward pass, convolutions that need im2col process `imagesPerGEMM` images per GEMM
/// when the input gradient is not a col2im scatter: gy of B images is gathered into [fg, B·P]
/// for the weight gradient, and the input-gradient convolution writes [cg, B·H·W] that is then
/// copied to the B images.
package func conv2dBackward(_ gy: Tensor, x: Tensor, weight: Tensor, hasBias: Bool, _ g: ConvGeometry,
                            needInput: Bool, needWeight: Bool, needBias: Bool,
                            threading: ConvThreading = ConvSettings.threading,
                            direct: DirectConvolution = ConvSettings.direct,
                            winograd: WinogradConvolution = ConvSettings.winograd) -> (Tensor?, Tensor?, Tensor?) {
    if ConvSettings.usesDirect(g, direct) {
        return directConvBackward(gy, x: x, weight: weight, g, needInput: needInput, needWeight: needWeight, needBias: needBias)
    }
    if needInput, let transposed = winogradInputGradientGeometry(g), ConvSettings.usesWinograd(transposed, winograd) {
        // dx = conv(gy, w̃) with padding 2 − p by F(2x2, 3x3); the weight gradient by the paths below
        let flipped = flippedTransposedWeight(weight, g), dx = Tensor(uninitialized: x.shape)
        withExtendedLifetime(flipped) {
            winogradConv(x: gy.storage.base, weight: flipped.storage.base, bias: nil, transposed, into: dx.storage.base)
        }
        let (_, dw, db) = conv2dBackward(gy, x: x, weight: weight, hasBias: hasBias, g, needInput: false, needWeight: needWeight,
                                         needBias: needBias, threading: threading, direct: direct, winograd: winograd)
        return (dx, dw, db)
    }
    let (cg, fg, p) = (g.channelsPerGroup, g.filtersPerGroup, g.oh * g.ow)
    let k = cg * g.kh * g.kw
    let flipped = needInput && !g.isPointwise ? transposedConvolution(weight, g) : nil
    let scatter = needInput && !g.isPointwise && flipped == nil   // input gradient through col2im
    let dx: Tensor? = needInput ? (scatter ? Tensor(zeros: x.shape) : Tensor(uninitialized: x.shape)) : nil
    let dw: Tensor? = needWeight ? Tensor(zeros: weight.shape) : nil
    let hw = g.h * g.w, kt = fg * g.kh * g.kw   // the input-gradient convolution: [cg, kt] · [kt, H·W]
    let colCount = max(k * p, flipped != nil ? kt * hw : 0)
    if needInput || needWeight {
        let tasks = ConvSettings.imageTasks(g.n, threading)
        // The scatter path batches too (LeNet's C5, P = 1: one GEMM per image was a rank-1 update
        // for dW and a matrix-vector product for dcol); its column matrix is K x B·P.
        let batched = g.isPointwise ? 1
            : ConvSettings.imagesPerGEMM(pixels: max(p, needInput && !scatter ? hw : 0), rows: max(k, needInput && !scatter ? kt : 0),
                                         images: (g.n + tasks - 1) / tasks)
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
            if batched > 1 {
                let col = UnsafeMutablePointer<Float>.allocate(capacity: colCount * batched)
                let gather = UnsafeMutablePointer<Float>.allocate(capacity: max(fg * p, cg * hw) * batched)
                defer { col.deallocate(); gather.deallocate() }
                for n0 in stride(from: images.lowerBound, to: images.upperBound, by: batched) {
                    let b = min(batched, images.upperBound - n0)
                    for grp in 0..<g.groups {
                        let width = b * p
                        if dwTask != nil || scatter {   // gy[B images, grp] side by side: [fg, B·P]
                            for i in 0..<b { for f in 0..<fg {
                                (gather + f * width + i * p).update(from: gs.p + ((n0 + i) * g.f + grp * fg + f) * p, count: p)
                            } }
                        }
                        if let dwTask {   // dW[grp] (+)= gy[B images, grp] [fg, B·P] · col(x[B images, grp])ᵀ [B·P, K]
                            for i in 0..<b {
                                im2col(xs.p + ((n0 + i) * g.c + grp * cg) * g.h * g.w, channels: cg, g, into: col + i * p, rowStride: width)
                            }
                            sgemm(transposeB: true, m: fg, n: k, k: width, a: gather, lda: width, b: col, ldb: width,
                                  beta: n0 == images.lowerBound ? 0 : 1, c: dwTask + grp * fg * k, ldc: k)
                        }
                        if let dxs, scatter {   // dcol [K, B·P] = W[grp]ᵀ · gy[B images, grp], scattered back image by image
                            sgemm(transposeA: true, m: k, n: width, k: fg, a: ws.p + grp * fg * k, lda: k, b: gather, ldb: width,
                                  c: col, ldc: width)
                            for i in 0..<b {
                                col2im(col + i * p, channels: cg, g, into: dxs.p + ((n0 + i) * g.c + grp * cg) * g.h * g.w, rowStride: width)
                            }
                        }
                        if let dxs, let flipped {   // dx[B images, grp] = w̃[grp] [cg, kt] · col(gy[B images, grp]) [kt, B·H·W]
                            let width = b * hw
                            for i in 0..<b {
                                im2col(gs.p + ((n0 + i) * g.f + grp * fg) * p, channels: fg, flipped.geometry,
                                       into: col + i * hw, rowStride: width)
                            }
                            sgemm(m: cg, n: width, k: kt, a: flipped.weight.p + grp * cg * kt, lda: kt, b: col, ldb: width,
                                  c: gather, ldc: width)
                            for i in 0..<b { for c in 0..<cg {
                                (dxs.p + ((n0 + i) * g.c + grp * cg + c) * hw).update(from: gather + c * width + i * hw, count: hw)
                            } }
                        }
                    }
                }
                return
            }
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
                            im2col(gyg, channels: fg, flipped.geometry, into: col)
                            sgemm(m: cg, n: hw, k: kt, a: flipped.weight.p + grp * cg * kt, lda: kt,
                                  b: col, ldb: hw, c: dxg, ldc: hw)
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
/// ([C, F/groups, KH, KW], grouped like the input channels). nil for other convolutions, and where its column matrix would be over twice col2im's.
private func transposedConvolution(_ weight: Tensor, _ g: ConvGeometry)
    -> (geometry: ConvGeometry, weight: SendablePointer<Float>, storage: Tensor)? {
    let pad = (g.dilation.0 * (g.kh - 1) - g.padding.0, g.dilation.1 * (g.kw - 1) - g.padding.1)
    guard g.stride == (1, 1), pad.0 >= 0, pad.1 >= 0 else { return nil }
    // Its column matrix has fg·H·W entries per tap against cg·OH·OW for col2im. Where that is
    // far larger (LeNet's C5: 120 filters on a 1x1 output read back over a 5x5 input, 190x;
    // C3: 5x), the scatter is cheaper than building a mostly-zero column matrix.
    guard g.filtersPerGroup * g.h * g.w <= 2 * g.channelsPerGroup * g.oh * g.ow else { return nil }
    let geometry = ConvGeometry(input: [g.n, g.f, g.oh, g.ow], weight: [g.c, g.filtersPerGroup, g.kh, g.kw],
                                padding: pad, dilation: g.dilation, groups: g.groups)
    let flipped = flippedTransposedWeight(weight, g)
    return (geometry, SendablePointer(flipped.storage.base), flipped)
}

/// The geometry of the convolution of gy that gives dx for a 3x3 stride-1 convolution with padding
/// at most 2 and one group (padding 2 − p), nil for other convolutions.
private func winogradInputGradientGeometry(_ g: ConvGeometry) -> ConvGeometry? {
    guard winogradApplies(g), g.padding.0 <= 2, g.padding.1 <= 2 else { return nil }
    return ConvGeometry(input: [g.n, g.f, g.oh, g.ow], weight: [g.c, g.f, 3, 3], padding: (2 - g.padding.0, 2 - g.padding.1))
}

/// w̃ [C, F/groups, KH, KW] with w̃[grp·cg + c, f, tap'] = w[grp·fg + f, c, tap], tap' = taps − 1 − tap
/// (both axes flipped): the weight of the convolution of gy that gives a stride-1 convolution's dx.
private func flippedTransposedWeight(_ weight: Tensor, _ g: ConvGeometry) -> Tensor {
    let (cg, fg, taps) = (g.channelsPerGroup, g.filtersPerGroup, g.kh * g.kw)
    let flipped = Tensor(uninitialized: [g.c, fg, g.kh, g.kw])
    let w = weight.storage.base, t = flipped.storage.base
    for grp in 0..<g.groups { for f in 0..<fg { for c in 0..<cg { for tap in 0..<taps {
        t[((grp * cg + c) * fg + f) * taps + (taps - 1 - tap)] = w[((grp * fg + f) * cg + c) * taps + tap]
    } } } }
    return flipped
}

/// The gradients of a convolution that `directConv` computes: the input gradient is the direct
/// convolution of gy with the weight flipped and transposed (w̃[c, f, KH−1−i, KW−1−j] =
/// w[f, c, i, j]) and padding K − 1 − p, the weight gradient `directConvWeightGradient`.
private func directConvBackward(_ gy: Tensor, x: Tensor, weight: Tensor, _ g: ConvGeometry,
                                needInput: Bool, needWeight: Bool, needBias: Bool) -> (Tensor?, Tensor?, Tensor?) {
    var dx: Tensor?
    if needInput {
        let flipped = flippedTransposedWeight(weight, g)
        let transposed = ConvGeometry(input: [g.n, g.f, g.oh, g.ow], weight: [g.c, g.f, g.kh, g.kw],
                                      padding: (g.kh - 1 - g.padding.0, g.kw - 1 - g.padding.1))
        let result = Tensor(uninitialized: x.shape)
        withExtendedLifetime(flipped) {
            directConv(x: gy.storage.base, weight: flipped.storage.base, bias: nil, transposed, into: result.storage.base)
        }
        dx = result
    }
    var dw: Tensor?
    if needWeight {
        let result = Tensor(uninitialized: weight.shape)
        directConvWeightGradient(gy: gy.storage.base, x: x.storage.base, g, into: result.storage.base)
        dw = result
    }
    return (dx, dw, needBias ? conv2dBiasGradient(gy, g) : nil)
}

/// Σ row[0 ..< count] in a fixed order: four vectors of 8 partial sums, then the tail.
@inline(__always)
func planeSum(_ row: UnsafePointer<Float>, count: Int) -> Float {
    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
    var i = 0
    while i + 32 <= count {
        a0 += load8(row + i); a1 += load8(row + i + 8); a2 += load8(row + i + 16); a3 += load8(row + i + 24)
        i += 32
    }
    while i + 8 <= count { a0 += load8(row + i); i += 8 }
    var s = ((a0 + a1) + (a2 + a3)).sum()
    while i < count { s += row[i]; i += 1 }
    return s
}

/// db[f] = Σ_n Σ_p gy[n, f, p], parallel over f (each sum in a fixed order).
func conv2dBiasGradient(_ gy: Tensor, _ g: ConvGeometry) -> Tensor {
    let db = Tensor(uninitialized: [g.f])
    let p = g.oh * g.ow
    let gs = SendablePointer(gy.storage.base), ds = SendablePointer(db.storage.base)
    parallelRanges(g.f, minimumPerTask: max(1, (1 << 16) / max(1, g.n * p))) { fs in
        for f in fs {
            var acc: Float = 0
            for n in 0..<g.n { acc += planeSum(gs.p + (n * g.f + f) * p, count: p) }
            ds.p[f] = acc
        }
    }
    return db
}
