// Direct 3x3 convolution (stride 1, padding 1, no dilation, one group): the layers of the CIFAR
// ResNets, VGG's and ResNet's 3x3 stages, DenseNet's 3x3 convolutions.
//
// im2col copies every input pixel nine times into a [C·9, H·W] matrix and BLAS then packs that
// matrix again before its micro-kernel reads it. With few channels (a CIFAR stage-1 layer:
// 16 -> 16 at 32x32, K = 144) the product is short and those copies cost as much as the
// arithmetic (`course bench conv`: 25% of sgemm's GFLOP/s forward). Here the micro-kernel reads
// the input in place, from a copy of each image with a one-pixel zero border:
//
//   y[f, r, x..x+7] = b[f] + Σ_c Σ_i Σ_j w[f, c, i, j] · xpad[c, r + i, x + j .. x + j + 7]
//
// Each call of the main micro-kernel computes 4 filters × 3 vectors of 8 output pixels
// (12 accumulators): per tap, 3 unaligned loads and 4 broadcasts feed 12 fused multiply-adds.
// The vectors run through the plane in row-major order (see Direct3x3Plane for widths that are
// not a multiple of 8). The weights are repacked as [F/4][C][9][4] so the four
// broadcasts of one tap read consecutive floats. Every output is one sum in the fixed order
// (c, i, j), whatever the threading.
//
// The input gradient of such a convolution is the same convolution of gy with the flipped,
// transposed weights (see `transposedConvolution` in ConvKernels.swift), so the backward pass
// uses this kernel too.

/// Whether `direct3x3` computes the convolution of geometry `g`.
package func direct3x3Applies(_ g: ConvGeometry) -> Bool {
    g.kh == 3 && g.kw == 3 && g.stride == (1, 1) && g.padding == (1, 1) && g.dilation == (1, 1) && g.groups == 1
}

/// y [N, F, H, W] = conv(x [N, C, H, W], weight [F, C, 3, 3], stride 1, padding 1) (+ bias [F]).
/// Images are split over the cores; a single image splits its tiles of rows (or, for a plane of
/// one tile, its filter blocks) instead.
package func direct3x3(x: UnsafePointer<Float>, n: Int, c: Int, h: Int, w: Int,
                       weight: UnsafePointer<Float>, f: Int, bias: UnsafePointer<Float>?,
                       into y: UnsafeMutablePointer<Float>) {
    precondition(h >= 1 && w >= 1 && c >= 1 && f >= 1, "direct3x3: empty geometry (\(c)x\(h)x\(w) -> \(f))")
    let blocks = f / 4
    // [F/4][C][9][4]: block b, channel c, tap t, filter 4b + k
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: max(1, blocks * c * 36))
    defer { packed.deallocate() }
    for b in 0..<blocks { for ch in 0..<c { for t in 0..<9 { for k in 0..<4 {
        packed[((b * c + ch) * 9 + t) * 4 + k] = weight[((4 * b + k) * c + ch) * 9 + t]
    } } } }
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    let plane = Direct3x3Plane(c: c, f: f, h: h, w: w, packed: packed, weight: weight, bias: bias)
    let ys = SendablePointer(y)
    let tiles = plane.tiles, units = plane.units

    if n == 1 {   // one image: lay it out once, split its tiles (or its filters, for a single tile)
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: c * plane.inputPlane)
        let scratch = plane.rowsAligned ? nil : UnsafeMutablePointer<Float>.allocate(capacity: f * plane.outputPlane)
        defer { pad.deallocate(); scratch?.deallocate() }
        pad.initialize(repeating: 0, count: c * plane.inputPlane)
        plane.layOut(x, into: pad)
        let pads = SendablePointer(pad), out = SendablePointer(scratch ?? y)
        let unitGroups = tiles.count >= 2 * Engine.threadCount ? 1 : units   // work items: tile-major
        parallelRanges(tiles.count * unitGroups, minimumPerTask: max(1, (1 << 16) / max(1, c * h * w * f / (tiles.count * unitGroups)))) { items in
            for item in items {
                let (t, g) = (item / unitGroups, item % unitGroups)
                let us = unitGroups == 1 ? 0..<units : g..<(g + 1)
                plane.convolve(units: us, vectors: tiles[t], pad: pads.p, into: out.p)
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
            plane.layOut(xs.p + i * c * h * w, into: pad)
            let out = ys.p + i * f * h * w
            for tile in tiles { plane.convolve(units: 0..<units, vectors: tile, pad: pad, into: scratch ?? out) }
            if let scratch { plane.copyValidColumns(scratch, into: out) }
        }
    }
}

/// Tiles of rows `direct3x3` cuts a C x H x W input's output plane into (for tests of the tiling).
package func direct3x3TileCount(channels c: Int, height h: Int, width w: Int) -> Int {
    let dummy = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    defer { dummy.deallocate() }
    return Direct3x3Plane(c: c, f: 1, h: h, w: w, packed: dummy, weight: dummy, bias: nil).tiles.count
}

/// The layout of one image for the direct kernels, and the loops over its output vectors.
///
/// The input is copied with a zero border into planes of (H + 2) rows of W + 2 floats. When W is a
/// multiple of 8 the output vectors are 8 pixels of one row, written straight into y. Otherwise
/// the output is computed with the padded row length too: vector t covers positions 8t ..< 8t + 8
/// of a [H, W + 2] plane, whose pixel (r, x) reads tap (i, j) at position + i·(W + 2) + j of the
/// padded input, so one loop runs through the plane whatever W is; the W valid columns of each
/// row are then copied to y (the two extra columns are computed and dropped).
///
/// Cache blocking. The vectors are taken in tiles of whole rows, and the input channels in blocks
/// of `channelBlock`: for one tile and one channel block, every filter block runs over the tile's
/// vectors, so the rows of input it reads (the tile's rows and the two around them, about 256 KB)
/// stay in L2 and the block's weights (4 filters × 64 channels × 9 taps, 9 KB) in L1. Without the
/// tiles, a VGG layer at 224x224 streams its whole 13 MB input once per filter block; without the
/// channel blocks, 256 channels at 14x14 stream 36 KB of weights through every group of vectors.
/// Later channel blocks add onto the partial sums in the output.
struct Direct3x3Plane: @unchecked Sendable {
    let c, f, h, w: Int
    let packed: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?

    init(c: Int, f: Int, h: Int, w: Int, packed: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?) {
        self.c = c; self.f = f; self.h = h; self.w = w
        self.packed = UnsafePointer(packed); self.weight = weight; self.bias = bias
    }

    var wp: Int { w + 2 }
    /// Floats per padded input channel (the last vector of a wide plane reads up to 9 floats past the padded rows).
    var inputPlane: Int { (h + 2) * wp + 16 }
    var rowsAligned: Bool { w % 8 == 0 }
    /// Output vectors per plane.
    var vectors: Int { rowsAligned ? h * w / 8 : (h * wp + 7) / 8 }
    /// Floats per output plane in the scratch buffer of a plane that is not row-aligned.
    var outputPlane: Int { rowsAligned ? h * w : 8 * vectors }
    /// Blocks of four filters, then single filters.
    var units: Int { f / 4 + f % 4 }
    /// Input channels summed per pass over a tile.
    static let channelBlock = 64

    /// The vectors in tiles of whole rows: as many rows as keep a channel block's input rows
    /// (tile + 2 rows) within about 256 KB, at least one row; a multiple of 3 vectors where the
    /// plane allows (the main micro-kernel takes 3 vectors at a time).
    var tiles: [Range<Int>] {
        let channels = min(c, Self.channelBlock)
        let rows = max(1, (1 << 16) / max(1, channels * wp) - 2)
        let perTile = max(3, (rows * (rowsAligned ? w : wp) / 8) / 3 * 3)
        return stride(from: 0, to: vectors, by: perTile).map { $0 ..< min(vectors, $0 + perTile) }
    }

    /// Copies x [C, H, W] into the interior of pad [C][inputPlane] (whose border is zero).
    func layOut(_ x: UnsafePointer<Float>, into pad: UnsafeMutablePointer<Float>) {
        for ch in 0..<c {
            let dst = pad + ch * inputPlane + wp + 1, src = x + ch * h * w
            for r in 0..<h { (dst + r * wp).update(from: src + r * w, count: w) }
        }
    }

    /// The W valid columns of each row of the [F][outputPlane] scratch planes, into y [F, H, W].
    func copyValidColumns(_ scratch: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        for k in 0..<f {
            let src = scratch + k * outputPlane, dst = y + k * h * w
            for r in 0..<h { (dst + r * w).update(from: src + r * wp, count: w) }
        }
    }

    /// Output vectors `vectors` of the filters of `units`, into `out` [F][outputPlane] (y itself
    /// when the rows are aligned), summing the input channels block by block.
    @inline(__always)
    func convolve(units: Range<Int>, vectors: Range<Int>, pad: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let perRow = w / 8, wp = self.wp, plane = inputPlane, outStride = outputPlane, blocks = f / 4
        let aligned = rowsAligned
        // aligned: vector v is output row v / perRow, columns 8·(v % perRow) ..< +8, its tap (0, 0)
        // at row v / perRow, column 8·(v % perRow) of the padded plane; otherwise position 8v of both
        @inline(__always) func inputOffset(_ v: Int) -> Int { aligned ? (v / perRow) * wp + 8 * (v % perRow) : 8 * v }
        for c0 in stride(from: 0, to: c, by: Self.channelBlock) {
            let channels = min(Self.channelBlock, c - c0), accumulate = c0 > 0
            let input = pad + c0 * plane
            for u in units {
                if u < blocks {
                    let f0 = 4 * u, o = out + f0 * outStride
                    let blockWeights = packed + (u * c + c0) * 36
                    let b0 = bias.map { SIMD8<Float>(repeating: $0[f0]) } ?? .zero
                    let b1 = bias.map { SIMD8<Float>(repeating: $0[f0 + 1]) } ?? .zero
                    let b2 = bias.map { SIMD8<Float>(repeating: $0[f0 + 2]) } ?? .zero
                    let b3 = bias.map { SIMD8<Float>(repeating: $0[f0 + 3]) } ?? .zero
                    var v = vectors.lowerBound
                    while v + 3 <= vectors.upperBound {
                        kernel4x3(input, plane: plane, wp: wp, channels: channels, weights: blockWeights,
                                  offsets: (inputOffset(v), inputOffset(v + 1), inputOffset(v + 2)),
                                  bias: (b0, b1, b2, b3), out: o, outOffsets: (8 * v, 8 * v + 8, 8 * v + 16), hw: outStride,
                                  accumulate: accumulate)
                        v += 3
                    }
                    while v < vectors.upperBound {
                        kernel4x1(input, plane: plane, wp: wp, channels: channels, weights: blockWeights, offset: inputOffset(v),
                                  bias: (b0, b1, b2, b3), out: o + 8 * v, hw: outStride, accumulate: accumulate)
                        v += 1
                    }
                } else {
                    let fi = 4 * blocks + (u - blocks), o = out + fi * outStride
                    let wf = weight + (fi * c + c0) * 9, b = bias.map { SIMD8<Float>(repeating: $0[fi]) } ?? .zero
                    for v in vectors {
                        kernel1x1(input, plane: plane, wp: wp, channels: channels, weights: wf, offset: inputOffset(v), bias: b,
                                  out: o + 8 * v, accumulate: accumulate)
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

/// 4 filters × 3 vectors of 8 pixels. `weights` is the block's [C][9][4].
@inline(__always)
private func kernel4x3(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, channels: Int, weights: UnsafePointer<Float>,
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
        for i in 0..<3 {
            let r0 = xc + (offsets.0 &+ i &* wp), r1 = xc + (offsets.1 &+ i &* wp), r2 = xc + (offsets.2 &+ i &* wp)
            for j in 0..<3 {
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
private func kernel4x1(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, channels: Int, weights: UnsafePointer<Float>,
                       offset: Int, bias: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>),
                       out: UnsafeMutablePointer<Float>, hw: Int, accumulate: Bool) {
    var a0 = bias.0, a1 = bias.1, a2 = bias.2, a3 = bias.3
    if accumulate { a0 = load8(out); a1 = load8(out + hw); a2 = load8(out + 2 &* hw); a3 = load8(out + 3 &* hw) }
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<3 {
            let r = xc + (offset &+ i &* wp)
            for j in 0..<3 {
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

/// 1 filter × 1 vector (filters left over after the blocks of four). `weights` is the filter's [C][9].
@inline(__always)
private func kernel1x1(_ pad: UnsafePointer<Float>, plane: Int, wp: Int, channels: Int, weights: UnsafePointer<Float>,
                       offset: Int, bias: SIMD8<Float>, out: UnsafeMutablePointer<Float>, accumulate: Bool) {
    var a = accumulate ? load8(out) : bias
    var xc = pad, wc = weights
    for _ in 0..<channels {
        for i in 0..<3 {
            let r = xc + (offset &+ i &* wp)
            for j in 0..<3 { a = a.addingProduct(SIMD8(repeating: wc[i * 3 + j]), load8(r + j)) }
        }
        xc += plane; wc += 9
    }
    store8(a, out)
}
