// Direct convolution for stride 1, no dilation, one group, any kernel size and padding up to
// K − 1 (the 3x3 pad-1 layers of the CIFAR ResNets, VGG, ResNet and DenseNet; LeNet's 5x5 C1
// and C3; AlexNet's and Inception's 5x5 convolutions), forward and both gradients.
//
// im2col copies every input pixel KH·KW times into a [C·KH·KW, OH·OW] matrix and BLAS then packs
// that matrix again before its micro-kernel reads it. With few channels (a CIFAR stage-1 layer:
// 16 -> 16 at 32x32, K = 144) the product is short and those copies cost as much as the
// arithmetic (`course bench conv`: 25% of sgemm's GFLOP/s forward). Here the micro-kernel reads
// the input in place, from a copy of each image with a zero border of the padding's width:
//
//   y[f, r, x..x+7] = b[f] + Σ_c Σ_i Σ_j w[f, c, i, j] · xpad[c, r + i, x + j .. x + j + 7]
//
// Each call of the main micro-kernel computes 4 filters × 3 vectors of 8 output pixels
// (12 accumulators): per tap, 3 unaligned loads and 4 broadcasts feed 12 fused multiply-adds.
// The vectors run through the plane in row-major order (see DirectConvPlane for output widths
// that are not a multiple of 8). The weights are repacked as [F/4][C][KH·KW][4] so the four
// broadcasts of one tap read consecutive floats. Every output is one sum in a fixed order
// (channel blocks, then c, i, j), whatever the threading.
//
// The input gradient of such a convolution is the same kind of convolution of gy with the
// flipped, transposed weights and padding K − 1 − p, so the backward pass uses this kernel too;
// the weight gradient has its own kernel (ConvDirectWeight.swift).

/// Whether `directConv` computes the convolution of geometry `g`: stride 1, no dilation, one
/// group, padding below the kernel size (so the input gradient is a direct convolution too), not
/// a 1x1 kernel (a plain GEMM), and an output width that does not waste most of each vector row
/// (at least 60% of the computed pixels are kept: LeNet's C5, a 5x5 kernel on a 5x5 input, is not).
package func directConvApplies(_ g: ConvGeometry) -> Bool {
    guard g.stride == (1, 1), g.dilation == (1, 1), g.groups == 1, !(g.kh == 1 && g.kw == 1),
          g.padding.0 < g.kh, g.padding.1 < g.kw, g.oh >= 1, g.ow >= 1 else { return false }
    let plane = DirectConvPlane(geometry: g)
    return Double(g.oh * g.ow) >= 0.6 * Double(plane.outputPlane)
}

/// y [N, F, OH, OW] = conv(x [N, C, H, W], weight [F, C, KH, KW], stride 1, padding g.padding)
/// (+ bias [F]) for a geometry where `directConvApplies`. Images are split over the cores; a
/// single image splits its tiles of rows (or, for a plane of one tile, its filter blocks) instead.
package func directConv(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                        _ g: ConvGeometry, into y: UnsafeMutablePointer<Float>) {
    precondition(g.stride == (1, 1) && g.dilation == (1, 1) && g.groups == 1 && g.oh >= 1 && g.ow >= 1,
                 "directConv: unsupported geometry \(g)")
    let (n, c, f, taps) = (g.n, g.c, g.f, g.kh * g.kw)
    let blocks = f / 4
    // [F/4][C][taps][4]: block b, channel c, tap t, filter 4b + k
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: max(1, blocks * c * taps * 4))
    defer { packed.deallocate() }
    for b in 0..<blocks { for ch in 0..<c { for t in 0..<taps { for k in 0..<4 {
        packed[((b * c + ch) * taps + t) * 4 + k] = weight[((4 * b + k) * c + ch) * taps + t]
    } } } }
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    var plane = DirectConvPlane(geometry: g)
    plane.packed = UnsafePointer(packed); plane.weight = weight; plane.bias = bias
    let ys = SendablePointer(y)
    let tiles = plane.tiles, units = plane.units, (inputCount, outputCount) = (c * g.h * g.w, f * g.oh * g.ow)

    if n == 1 {   // one image: lay it out once, split its tiles (or its filters, for a single tile)
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: c * plane.inputPlane)
        let scratch = plane.rowsAligned ? nil : UnsafeMutablePointer<Float>.allocate(capacity: f * plane.outputPlane)
        defer { pad.deallocate(); scratch?.deallocate() }
        pad.initialize(repeating: 0, count: c * plane.inputPlane)
        plane.layOut(x, into: pad)
        let pads = SendablePointer(pad), out = SendablePointer(scratch ?? y)
        let unitGroups = tiles.count >= 2 * Engine.threadCount ? 1 : units   // work items: tile-major
        let items = tiles.count * unitGroups
        parallelRanges(items, minimumPerTask: max(1, (1 << 16) / max(1, outputCount * c * taps / items))) { range in
            for item in range {
                let (t, u) = (item / unitGroups, item % unitGroups)
                plane.convolve(units: unitGroups == 1 ? 0..<units : u..<(u + 1), vectors: tiles[t], pad: pads.p, into: out.p)
            }
        }
        if let scratch { plane.copyValidColumns(scratch, into: y) }
        return
    }
    parallelRanges(n) { images in
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: c * plane.inputPlane)
        let scratch = plane.rowsAligned ? nil : UnsafeMutablePointer<Float>.allocate(capacity: f * plane.outputPlane)
        defer { pad.deallocate(); scratch?.deallocate() }
        pad.initialize(repeating: 0, count: c * plane.inputPlane)
        for i in images {
            plane.layOut(xs.p + i * inputCount, into: pad)
            let out = ys.p + i * outputCount
            for tile in tiles { plane.convolve(units: 0..<units, vectors: tile, pad: pad, into: scratch ?? out) }
            if let scratch { plane.copyValidColumns(scratch, into: out) }
        }
    }
}

/// Tiles of rows `directConv` cuts the output plane of `g` into (for tests of the tiling).
package func directConvTileCount(_ g: ConvGeometry) -> Int { DirectConvPlane(geometry: g).tiles.count }

/// The layout of one image for the direct kernels, and the loops over its output vectors.
///
/// The input is copied with a zero border into planes of H + 2·PH rows of WP = W + 2·PW floats.
/// When OW is a multiple of 8 the output vectors are 8 pixels of one output row, written straight
/// into y. Otherwise the output is computed with the padded row length too: vector t covers
/// positions 8t ..< 8t + 8 of an [OH, WP] plane, whose pixel (r, x) reads tap (i, j) at
/// position + i·WP + j of the padded input, so one loop runs through the plane whatever the
/// width; the OW valid columns of each row are then copied to y (the KW − 1 extra columns are
/// computed and dropped).
///
/// Cache blocking. The vectors are taken in tiles of whole rows, and the input channels in blocks
/// of `channelBlock`: for one tile and one channel block, every filter block runs over the tile's
/// vectors, so the rows of input it reads (the tile's rows and the KH − 1 below them, about
/// 256 KB) stay in L2 and the block's weights (4 filters × 64 channels × 9 taps for 3x3, 9 KB) in
/// L1. Without the tiles, a VGG layer at 224x224 streams its whole 13 MB input once per filter
/// block; without the channel blocks, 256 channels at 14x14 stream 36 KB of weights through
/// every group of vectors. Later channel blocks add onto the partial sums in the output.
struct DirectConvPlane: @unchecked Sendable {
    let c, f, h, w, kh, kw, ph, pw, oh, ow: Int
    var packed: UnsafePointer<Float>?, weight: UnsafePointer<Float>?, bias: UnsafePointer<Float>?

    init(geometry g: ConvGeometry) {
        (c, f, h, w, kh, kw, oh, ow) = (g.c, g.f, g.h, g.w, g.kh, g.kw, g.oh, g.ow)
        (ph, pw) = g.padding
    }

    var wp: Int { w + 2 * pw }
    var hp: Int { h + 2 * ph }
    var taps: Int { kh * kw }
    /// Floats per padded input channel (the last vector of a wide plane reads up to KW + 6 floats past the padded rows).
    var inputPlane: Int { hp * wp + kw + 16 }
    var rowsAligned: Bool { ow % 8 == 0 }
    /// Output vectors per plane.
    var vectors: Int { rowsAligned ? oh * ow / 8 : (oh * wp + 7) / 8 }
    /// Floats per output plane (in the scratch buffer when the rows are not aligned).
    var outputPlane: Int { rowsAligned ? oh * ow : 8 * vectors }
    /// Blocks of four filters, then single filters.
    var units: Int { f / 4 + f % 4 }
    /// Input channels summed per pass over a tile.
    static let channelBlock = 64

    /// The vectors in tiles of whole output rows: as many rows as keep a channel block's input
    /// rows (tile + KH − 1 rows) within about 256 KB, at least one row; a multiple of 3 vectors
    /// where the plane allows (the main micro-kernel takes 3 vectors at a time).
    var tiles: [Range<Int>] {
        let channels = min(c, Self.channelBlock)
        let rows = max(1, (1 << 16) / max(1, channels * wp) - (kh - 1))
        let perTile = max(3, (rows * (rowsAligned ? ow : wp) / 8) / 3 * 3)
        return stride(from: 0, to: vectors, by: perTile).map { $0 ..< min(vectors, $0 + perTile) }
    }

    /// Copies x [C, H, W] into the interior of pad [C][inputPlane] (whose border is zero).
    func layOut(_ x: UnsafePointer<Float>, into pad: UnsafeMutablePointer<Float>) {
        for ch in 0..<c {
            let dst = pad + ch * inputPlane + ph * wp + pw, src = x + ch * h * w
            for r in 0..<h { (dst + r * wp).update(from: src + r * w, count: w) }
        }
    }

    /// The OW valid columns of each row of the [F][outputPlane] scratch planes, into y [F, OH, OW].
    func copyValidColumns(_ scratch: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for k in 0..<f {
            let src = scratch + k * outputPlane, dst = y + k * oh * ow
            for r in 0..<oh { (dst + r * ow).update(from: src + r * wp, count: ow) }
        }
    }

    /// Output vectors `vectors` of the filters of `units`, into `out` [F][outputPlane] (y itself
    /// when the rows are aligned), summing the input channels block by block.
    @inline(__always)
    func convolve(units: Range<Int>, vectors: Range<Int>, pad: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        // 3x3 kernels get their own copy of the loops, with the tap counts known to the compiler
        if kh == 3 && kw == 3 { convolve(units: units, vectors: vectors, pad: pad, into: out, kh: 3, kw: 3) }
        else { convolve(units: units, vectors: vectors, pad: pad, into: out, kh: kh, kw: kw) }
    }

    @inline(__always)
    private func convolve(units: Range<Int>, vectors: Range<Int>, pad: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                          kh: Int, kw: Int) {
        let perRow = ow / 8, wp = self.wp, plane = inputPlane, outStride = outputPlane, blocks = f / 4, taps = kh * kw
        let aligned = rowsAligned
        let packed = self.packed!, weight = self.weight!, bias = self.bias
        // aligned: vector v is output row v / perRow, columns 8·(v % perRow) ..< +8, its tap (0, 0)
        // at row v / perRow, column 8·(v % perRow) of the padded plane; otherwise position 8v of both
        @inline(__always) func inputOffset(_ v: Int) -> Int { aligned ? (v / perRow) * wp + 8 * (v % perRow) : 8 * v }
        for c0 in stride(from: 0, to: c, by: Self.channelBlock) {
            let channels = min(Self.channelBlock, c - c0), accumulate = c0 > 0
            let input = pad + c0 * plane
            for u in units {
                if u < blocks {
                    let f0 = 4 * u, o = out + f0 * outStride
                    let blockWeights = packed + (u * c + c0) * taps * 4
                    let b0 = bias.map { SIMD8<Float>(repeating: $0[f0]) } ?? .zero
                    let b1 = bias.map { SIMD8<Float>(repeating: $0[f0 + 1]) } ?? .zero
                    let b2 = bias.map { SIMD8<Float>(repeating: $0[f0 + 2]) } ?? .zero
                    let b3 = bias.map { SIMD8<Float>(repeating: $0[f0 + 3]) } ?? .zero
                    var v = vectors.lowerBound
                    while v + 3 <= vectors.upperBound {
                        kernel4x3(input, plane: plane, wp: wp, kh: kh, kw: kw, channels: channels, weights: blockWeights,
                                  offsets: (inputOffset(v), inputOffset(v + 1), inputOffset(v + 2)),
                                  bias: (b0, b1, b2, b3), out: o, outOffsets: (8 * v, 8 * v + 8, 8 * v + 16), hw: outStride,
                                  accumulate: accumulate)
                        v += 3
                    }
                    while v < vectors.upperBound {
                        kernel4x1(input, plane: plane, wp: wp, kh: kh, kw: kw, channels: channels, weights: blockWeights,
                                  offset: inputOffset(v), bias: (b0, b1, b2, b3), out: o + 8 * v, hw: outStride, accumulate: accumulate)
                        v += 1
                    }
                } else {
                    let fi = 4 * blocks + (u - blocks), o = out + fi * outStride
                    let wf = weight + (fi * c + c0) * taps, b = bias.map { SIMD8<Float>(repeating: $0[fi]) } ?? .zero
                    var v = vectors.lowerBound
                    while v + 4 <= vectors.upperBound {   // four vectors share each weight broadcast
                        kernel1x4(input, plane: plane, wp: wp, kh: kh, kw: kw, channels: channels, weights: wf,
                                  offsets: (inputOffset(v), inputOffset(v + 1), inputOffset(v + 2), inputOffset(v + 3)),
                                  bias: b, out: o + 8 * v, accumulate: accumulate)
                        v += 4
                    }
                    while v < vectors.upperBound {
                        kernel1x1(input, plane: plane, wp: wp, kh: kh, kw: kw, channels: channels, weights: wf,
                                  offset: inputOffset(v), bias: b, out: o + 8 * v, accumulate: accumulate)
                        v += 1
                    }
                }
            }
        }
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// 4 filters × 3 vectors of 8 pixels. `weights` is the block's [C][KH·KW][4].
@inline(__always)
private func kernel4x3(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, kh: Int, kw: Int, channels: Int, weights: UnsafePointer<Float>,
                       offsets: (Int, Int, Int), bias: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                       out: UnsafeMutablePointer<Float>, outOffsets: (Int, Int, Int), hw: Int, accumulate: Bool) {
    var a00 = bias.0, a01 = bias.0, a02 = bias.0
    var a10 = bias.1, a11 = bias.1, a12 = bias.1
    var a20 = bias.2, a21 = bias.2, a22 = bias.2
    var a30 = bias.3, a31 = bias.3, a32 = bias.3
    if accumulate {   // a later block of channels: start from the partial sums in out
        let o1 = out + hw, o2 = out + 2 &* hw, o3 = out + 3 &* hw
        a00 = load8(out + outOffsets.0); a01 = load8(out + outOffsets.1); a02 = load8(out + outOffsets.2)
        a10 = load8(o1 + outOffsets.0); a11 = load8(o1 + outOffsets.1); a12 = load8(o1 + outOffsets.2)
        a20 = load8(o2 + outOffsets.0); a21 = load8(o2 + outOffsets.1); a22 = load8(o2 + outOffsets.2)
        a30 = load8(o3 + outOffsets.0); a31 = load8(o3 + outOffsets.1); a32 = load8(o3 + outOffsets.2)
    }
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<kh {
            let r0 = xc + (offsets.0 &+ i &* wp), r1 = xc + (offsets.1 &+ i &* wp), r2 = xc + (offsets.2 &+ i &* wp)
            for j in 0..<kw {
                let x0 = load8(r0 + j), x1 = load8(r1 + j), x2 = load8(r2 + j)
                let w0 = SIMD8<Float>(repeating: wc[0])
                a00 = a00.addingProduct(w0, x0); a01 = a01.addingProduct(w0, x1); a02 = a02.addingProduct(w0, x2)
                let w1 = SIMD8<Float>(repeating: wc[1])
                a10 = a10.addingProduct(w1, x0); a11 = a11.addingProduct(w1, x1); a12 = a12.addingProduct(w1, x2)
                let w2 = SIMD8<Float>(repeating: wc[2])
                a20 = a20.addingProduct(w2, x0); a21 = a21.addingProduct(w2, x1); a22 = a22.addingProduct(w2, x2)
                let w3 = SIMD8<Float>(repeating: wc[3])
                a30 = a30.addingProduct(w3, x0); a31 = a31.addingProduct(w3, x1); a32 = a32.addingProduct(w3, x2)
                wc += 4
            }
        }
        xc += plane
    }
    store8(a00, out + outOffsets.0); store8(a01, out + outOffsets.1); store8(a02, out + outOffsets.2)
    let o1 = out + hw, o2 = out + 2 &* hw, o3 = out + 3 &* hw
    store8(a10, o1 + outOffsets.0); store8(a11, o1 + outOffsets.1); store8(a12, o1 + outOffsets.2)
    store8(a20, o2 + outOffsets.0); store8(a21, o2 + outOffsets.1); store8(a22, o2 + outOffsets.2)
    store8(a30, o3 + outOffsets.0); store8(a31, o3 + outOffsets.1); store8(a32, o3 + outOffsets.2)
}

/// 4 filters × 1 vector (the vectors left over after the groups of three).
@inline(__always)
private func kernel4x1(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, kh: Int, kw: Int, channels: Int, weights: UnsafePointer<Float>,
                       offset: Int, bias: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                       out: UnsafeMutablePointer<Float>, hw: Int, accumulate: Bool) {
    var a0 = bias.0, a1 = bias.1, a2 = bias.2, a3 = bias.3
    if accumulate { a0 = load8(out); a1 = load8(out + hw); a2 = load8(out + 2 &* hw); a3 = load8(out + 3 &* hw) }
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<kh {
            let r = xc + (offset &+ i &* wp)
            for j in 0..<kw {
                let x = load8(r + j)
                a0 = a0.addingProduct(SIMD8(repeating: wc[0]), x); a1 = a1.addingProduct(SIMD8(repeating: wc[1]), x)
                a2 = a2.addingProduct(SIMD8(repeating: wc[2]), x); a3 = a3.addingProduct(SIMD8(repeating: wc[3]), x)
                wc += 4
            }
        }
        xc += plane
    }
    store8(a0, out); store8(a1, out + hw); store8(a2, out + 2 &* hw); store8(a3, out + 3 &* hw)
}

/// 1 filter × 4 consecutive output vectors (filters left over after the blocks of four: LeNet's
/// 6-filter C1 and the 6-channel input gradient of C3). `weights` is the filter's [C][KH·KW].
@inline(__always)
private func kernel1x4(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, kh: Int, kw: Int, channels: Int, weights: UnsafePointer<Float>,
                       offsets: (Int, Int, Int, Int), bias: SIMD8<Float>, out: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a0 = bias, a1 = bias, a2 = bias, a3 = bias
    if accumulate { a0 = load8(out); a1 = load8(out + 8); a2 = load8(out + 16); a3 = load8(out + 24) }
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<kh {
            let r0 = xc + (offsets.0 &+ i &* wp), r1 = xc + (offsets.1 &+ i &* wp)
            let r2 = xc + (offsets.2 &+ i &* wp), r3 = xc + (offsets.3 &+ i &* wp)
            for j in 0..<kw {
                let w = SIMD8<Float>(repeating: wc[i &* kw &+ j])
                a0 = a0.addingProduct(w, load8(r0 + j)); a1 = a1.addingProduct(w, load8(r1 + j))
                a2 = a2.addingProduct(w, load8(r2 + j)); a3 = a3.addingProduct(w, load8(r3 + j))
            }
        }
        xc += plane; wc += kh &* kw
    }
    store8(a0, out); store8(a1, out + 8); store8(a2, out + 16); store8(a3, out + 24)
}

/// 1 filter × 1 vector (the vectors left over after the groups of four). `weights` is the filter's [C][KH·KW].
@inline(__always)
private func kernel1x1(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, kh: Int, kw: Int, channels: Int, weights: UnsafePointer<Float>,
                       offset: Int, bias: SIMD8<Float>, out: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a = accumulate ? load8(out) : bias
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<kh {
            let r = xc + (offset &+ i &* wp)
            for j in 0..<kw { a = a.addingProduct(SIMD8(repeating: wc[i &* kw &+ j]), load8(r + j)) }
        }
        xc += plane; wc += kh &* kw
    }
    store8(a, out)
}
