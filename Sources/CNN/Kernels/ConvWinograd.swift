// Winograd's minimal filtering F(2x2, 3x3) (Lavin & Gray 2016, "Fast Algorithms for Convolutional
// Neural Networks") for 3x3, stride-1 convolutions: each 2x2 block of outputs ("tile") is
//
//   Y = Aᵀ [ Σ_c (G g[f, c] Gᵀ) ⊙ (Bᵀ d[c] B) ] A,   d[c] the 4x4 input window of the tile in channel c
//
// with
//   G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   (4x3)       U = G g Gᵀ   (weights, 4x4 per filter and channel)
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]      V = Bᵀ d B   (input, 4x4 per tile and channel)
//   Aᵀ = [1 1 1 0; 0 1 −1 −1]                          Y = Aᵀ M A   (output, 2x2 per tile and filter)
//
// and the sum over channels is, for each of the 16 positions ξ of the 4x4 domain, one matrix
// product M[ξ] [F, T] = U[ξ] [F, C] · V[ξ] [C, T] over T tiles. That is 16 multiply-adds per
// tile, filter and channel where the convolution has 36: 2.25x fewer, paid for by the transforms
// (O(C·T + F·T + F·C), no factor of the other dimension) and by the products being 16 separate
// GEMMs. The entries of A, B and G are 0, ±1 and ±½, so the results differ from the direct sum by
// a few rounding errors (the tests compare with the reference loops at a relative 1e-4).
//
// Blocks. The tiles of the batch are numbered image by image, row by row, and taken in blocks of
// `winogradBlockTiles` (V and M of one block stay near the L2/L3 boundary); a block may span tile
// rows and images. With at least two blocks per core, the blocks are spread over the cores, each
// running single-threaded GEMMs; otherwise the blocks run one after another and each phase of a
// block (input transform by channels, the 16 GEMMs, output transform by filters) is split.
//
// When it pays (ConvSettings.usesWinograd): the weight transform writes 16·F·C floats per call
// (for 512 -> 512 that is 16 MB, as much time as the products it saves on a 7x7 plane), so small
// planes keep im2col; see ConvKernels.swift for the measured thresholds.

/// Whether `winogradConv` computes the convolution of geometry `g`: a 3x3 kernel, stride 1, no
/// dilation, one group (any padding).
package func winogradApplies(_ g: ConvGeometry) -> Bool {
    g.kh == 3 && g.kw == 3 && g.stride == (1, 1) && g.dilation == (1, 1) && g.groups == 1 && g.oh >= 1 && g.ow >= 1
}

/// Number of 2x2 output tiles of `g` (over the batch).
package func winogradTileCount(_ g: ConvGeometry) -> Int { g.n * ((g.oh + 1) / 2) * ((g.ow + 1) / 2) }

/// Tiles per block for `g` and `threads` cores: V [16, C, T] of about 2 MB, between 64 and 512
/// tiles, and at least `threads` blocks when the batch has 64 tiles per core.
func winogradBlockTiles(_ g: ConvGeometry, threads: Int) -> Int {
    let total = winogradTileCount(g)
    var tiles = min(512, max(64, (1 << 15) / max(1, g.c)))
    if total < tiles * threads { tiles = max(64, (total + threads - 1) / threads) }
    return max(1, min(tiles, total))
}

/// y [N, F, OH, OW] = conv(x [N, C, H, W], weight [F, C, 3, 3], stride 1, padding g.padding) (+ bias [F])
/// by F(2x2, 3x3) for a geometry where `winogradApplies`.
package func winogradConv(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                          _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>) {
    precondition(winogradApplies(g), "winogradConv: unsupported geometry \(g)")
    let (c, f) = (g.c, g.f)
    let u = UnsafeMutablePointer<Float>.allocate(capacity: 16 * f * c)
    defer { u.deallocate() }
    winogradWeights(weight, f: f, c: c, into: u)
    let plan = WinogradPlan(g, x: x, u: UnsafePointer(u), bias: bias, y: y)
    let total = winogradTileCount(g), tiles = winogradBlockTiles(g, threads: Engine.threadCount)
    let blocks = (total + tiles - 1) / tiles
    if blocks >= 2 * Engine.threadCount || blocks >= Engine.threadCount && total >= 64 * Engine.threadCount {
        parallelRanges(blocks) { bs in
            let scratch = WinogradScratch(plan, tiles: tiles)
            defer { scratch.free() }
            for b in bs { plan.run(tiles: (b * tiles)..<min(total, (b + 1) * tiles), scratch) }
        }
    } else {
        let scratch = WinogradScratch(plan, tiles: tiles)
        defer { scratch.free() }
        for b in 0..<blocks { plan.run(tiles: (b * tiles)..<min(total, (b + 1) * tiles), scratch) }
    }
}

/// U[ξ, f, c] = (G · w[f, c] · Gᵀ)[ξ], ξ = 4·row + column.
private func winogradWeights(_ w: UnsafePointer<Float>, f: Int, c: Int, into u: UnsafeMutablePointer<Float>) {
    let us = SendablePointer(u), ws = SendablePointer(UnsafeMutablePointer(mutating: w)), fc = f * c
    parallelRanges(f, minimumPerTask: max(1, 4096 / max(1, c))) { fs in
        for k in fs {
            for ch in 0..<c {
                let g = ws.p + (k * c + ch) * 9, o = us.p + k * c + ch
                // G·g (4x3), column by column, then each of its rows times Gᵀ
                @inline(__always) func gt(_ a0: Float, _ a1: Float, _ a2: Float) -> (Float, Float, Float, Float) {
                    (a0, 0.5 * (a0 + a1 + a2), 0.5 * (a0 - a1 + a2), a2)
                }
                let c0 = gt(g[0], g[3], g[6]), c1 = gt(g[1], g[4], g[7]), c2 = gt(g[2], g[5], g[8])
                let r0 = gt(c0.0, c1.0, c2.0), r1 = gt(c0.1, c1.1, c2.1), r2 = gt(c0.2, c1.2, c2.2), r3 = gt(c0.3, c1.3, c2.3)
                @inline(__always) func put(_ i: Int, _ r: (Float, Float, Float, Float)) {
                    o[(4 * i) * fc] = r.0; o[(4 * i + 1) * fc] = r.1; o[(4 * i + 2) * fc] = r.2; o[(4 * i + 3) * fc] = r.3
                }
                put(0, r0); put(1, r1); put(2, r2); put(3, r3)
            }
        }
    }
}

/// The fixed parts of one `winogradConv` call.
private struct WinogradPlan: @unchecked Sendable {
    let g: ConvGeometry
    let x: UnsafePointer<Float>, u: UnsafePointer<Float>, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>
    let th, tw: Int
    /// Floats per padded input row: the tiles' 2·tw + 2 columns and room for the last vector's overread.
    let rowWidth: Int

    init(_ g: ConvGeometry, x: UnsafePointer<Float>, u: UnsafePointer<Float>, bias: UnsafePointer<Float>?, y: UnsafeMutablePointer<Float>) {
        self.g = g; self.x = x; self.u = u; self.bias = bias; self.y = y
        th = (g.oh + 1) / 2; tw = (g.ow + 1) / 2
        rowWidth = 2 * tw + 32
    }

    /// Input transform, 16 GEMMs and output transform of the tiles `range`.
    func run(tiles range: Range<Int>, _ s: WinogradScratch) {
        let count = range.count, (c, f) = (g.c, g.f)
        let vs = SendablePointer(s.v), ms = SendablePointer(s.m)
        parallelRanges(c, minimumPerTask: max(1, 8192 / max(1, count))) { cs in
            let rows = UnsafeMutablePointer<Float>.allocate(capacity: 4 * rowWidth)
            defer { rows.deallocate() }
            for ch in cs { transformInput(channel: ch, tiles: range, rows: rows, into: vs.p, stride: count) }
        }
        parallelRanges(16) { xis in
            for xi in xis {
                sgemm(m: f, n: count, k: c, a: u + xi * f * c, lda: c, b: vs.p + xi * c * count, ldb: count,
                      c: ms.p + xi * f * count, ldc: count)
            }
        }
        // where each tile's outputs go: offset of its top-left output in filter 0's plane, and which of its 2x2 exist
        let plane = g.oh * g.ow
        for (i, t) in range.enumerated() {
            let n = t / (th * tw), r = t % (th * tw), ty = r / tw, tx = r % tw
            s.offsets[i] = n * f * plane + 2 * ty * g.ow + 2 * tx
            s.fullRow[i] = 2 * ty + 1 < g.oh
            s.fullColumn[i] = 2 * tx + 1 < g.ow
        }
        let offsets = SendablePointer(s.offsets), fullRow = SendablePointer(s.fullRow), fullColumn = SendablePointer(s.fullColumn)
        parallelRanges(f, minimumPerTask: max(1, 4096 / max(1, count))) { fs in
            for k in fs {
                transformOutput(filter: k, count: count, m: ms.p, offsets: offsets.p, fullRow: fullRow.p,
                                fullColumn: fullColumn.p)
            }
        }
    }

    /// V[ξ, ch, i] for the tiles of `range` (i = tile − range.lowerBound), in `v` [16, C, stride].
    private func transformInput(channel ch: Int, tiles range: Range<Int>, rows: UnsafeMutablePointer<Float>,
                                into v: UnsafeMutablePointer<Float>, stride: Int) {
        let (h, w, p0, p1) = (g.h, g.w, g.padding.0, g.padding.1), perImage = th * tw
        let vc = v + ch * stride, planeStride = g.c * stride
        var t = range.lowerBound
        while t < range.upperBound {
            // one row of tiles: image n, tile row ty, tiles tx0 ..< tx1
            let n = t / perImage, ty = (t % perImage) / tw, tx0 = t % tw
            let tx1 = min(tw, tx0 + (range.upperBound - t))
            let src = x + (n * g.c + ch) * h * w
            for i in 0..<4 {   // padded input rows 2·ty − p0 + i, columns shifted by p1
                let dst = rows + i * rowWidth, r = 2 * ty - p0 + i
                dst.update(repeating: 0, count: rowWidth)
                if r >= 0 && r < h { (dst + p1).update(from: src + r * w, count: w) }
            }
            var tx = tx0
            while tx < tx1 {
                let lanes = min(8, tx1 - tx)
                let base = t - range.lowerBound + (tx - tx0)
                @inline(__always) func row(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                    let rp = rows + i * rowWidth + 2 * tx
                    let a = load16(rp), b = load16(rp + 2)
                    return (a.evenHalf, a.oddHalf, b.evenHalf, b.oddHalf)
                }
                let d0 = row(0), d1 = row(1), d2 = row(2), d3 = row(3)
                // Bᵀ·d, column by column (e_i = row i of Bᵀ·d), then each row times B
                let e0 = (d0.0 - d2.0, d0.1 - d2.1, d0.2 - d2.2, d0.3 - d2.3)
                let e1 = (d1.0 + d2.0, d1.1 + d2.1, d1.2 + d2.2, d1.3 + d2.3)
                let e2 = (d2.0 - d1.0, d2.1 - d1.1, d2.2 - d1.2, d2.3 - d1.3)
                let e3 = (d1.0 - d3.0, d1.1 - d3.1, d1.2 - d3.2, d1.3 - d3.3)
                @inline(__always) func put(_ xi: Int, _ value: SIMD8<Float>) {
                    let dst = vc + xi * planeStride + base
                    if lanes == 8 { store8(value, dst) } else { for l in 0..<lanes { dst[l] = value[l] } }
                }
                @inline(__always) func putRow(_ i: Int, _ e: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
                    put(4 * i, e.0 - e.2); put(4 * i + 1, e.1 + e.2); put(4 * i + 2, e.2 - e.1); put(4 * i + 3, e.1 - e.3)
                }
                putRow(0, e0); putRow(1, e1); putRow(2, e2); putRow(3, e3)
                tx += lanes
            }
            t += tx1 - tx0
        }
    }

    /// y for filter k of the block's `count` tiles from M [16, F, count].
    private func transformOutput(filter k: Int, count: Int, m: UnsafePointer<Float>, offsets: UnsafePointer<Int>,
                                 fullRow: UnsafePointer<Bool>, fullColumn: UnsafePointer<Bool>) {
        let f = g.f, plane = g.oh * g.ow, ow = g.ow
        let b = SIMD8<Float>(repeating: bias?[k] ?? 0), yk = y + k * plane
        var i = 0
        while i < count {
            let lanes = min(8, count - i)
            @inline(__always) func mrow(_ r: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                let p = m + (4 * r * f + k) * count + i, step = f * count
                return (load8(p), load8(p + step), load8(p + 2 * step), load8(p + 3 * step))
            }
            let m0 = mrow(0), m1 = mrow(1), m2 = mrow(2), m3 = mrow(3)
            // Aᵀ·M (two rows), then each times A
            let s0 = (m0.0 + m1.0 + m2.0, m0.1 + m1.1 + m2.1, m0.2 + m1.2 + m2.2, m0.3 + m1.3 + m2.3)
            let s1 = (m1.0 - m2.0 - m3.0, m1.1 - m2.1 - m3.1, m1.2 - m2.2 - m3.2, m1.3 - m2.3 - m3.3)
            let y00 = s0.0 + s0.1 + s0.2 + b, y01 = s0.1 - s0.2 - s0.3 + b
            let y10 = s1.0 + s1.1 + s1.2 + b, y11 = s1.1 - s1.2 - s1.3 + b
            for l in 0..<lanes {
                let o = yk + offsets[i + l], fullColumnL = fullColumn[i + l]
                o[0] = y00[l]
                if fullColumnL { o[1] = y01[l] }
                if fullRow[i + l] {
                    o[ow] = y10[l]
                    if fullColumnL { o[ow + 1] = y11[l] }
                }
            }
            i += lanes
        }
    }
}

/// Buffers of one block: V [16, C, T], M [16, F, T] (+ 8 floats of overread) and the tiles' output places.
private struct WinogradScratch: @unchecked Sendable {
    let v, m: UnsafeMutablePointer<Float>
    let offsets: UnsafeMutablePointer<Int>
    let fullRow, fullColumn: UnsafeMutablePointer<Bool>

    init(_ plan: WinogradPlan, tiles: Int) {
        v = .allocate(capacity: 16 * plan.g.c * tiles + 8)
        m = .allocate(capacity: 16 * plan.g.f * tiles + 8)
        offsets = .allocate(capacity: tiles); fullRow = .allocate(capacity: tiles); fullColumn = .allocate(capacity: tiles)
    }

    func free() { v.deallocate(); m.deallocate(); offsets.deallocate(); fullRow.deallocate(); fullColumn.deallocate() }
}

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}
