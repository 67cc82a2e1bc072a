// Direct 3x3 convolution (stride 1, padding 1, no dilation, one group) for planes whose width is
// a multiple of 8: the layers of the CIFAR ResNets, VGG's and ResNet's 3x3 stages.
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
// The vectors run through the plane in row-major order (a vector never straddles two rows
// because W is a multiple of 8). The weights are repacked as [F/4][C][9][4] so the four
// broadcasts of one tap read consecutive floats. Every output is one sum in the fixed order
// (c, i, j), whatever the threading.
//
// The input gradient of such a convolution is the same convolution of gy with the flipped,
// transposed weights (see `transposedConvolution` in ConvKernels.swift), so the backward pass
// uses this kernel too.

/// Whether `direct3x3` computes the convolution of geometry `g`.
package func direct3x3Applies(_ g: ConvGeometry) -> Bool {
    g.kh == 3 && g.kw == 3 && g.stride == (1, 1) && g.padding == (1, 1) && g.dilation == (1, 1)
        && g.groups == 1 && g.w % 8 == 0 && g.w >= 8
}

/// y [N, F, H, W] = conv(x [N, C, H, W], weight [F, C, 3, 3], stride 1, padding 1) (+ bias [F]).
/// Images are split over the cores; a single image splits its filter blocks instead.
package func direct3x3(x: UnsafePointer<Float>, n: Int, c: Int, h: Int, w: Int,
                       weight: UnsafePointer<Float>, f: Int, bias: UnsafePointer<Float>?,
                       into y: UnsafeMutablePointer<Float>) {
    precondition(w % 8 == 0 && h >= 1 && c >= 1 && f >= 1, "direct3x3: width \(w) must be a multiple of 8")
    let blocks = f / 4, wp = w + 2, paddedPlane = (h + 2) * wp
    // [F/4][C][9][4]: block b, channel c, tap t, filter 4b + k
    let packed = UnsafeMutablePointer<Float>.allocate(capacity: max(1, blocks * c * 36))
    defer { packed.deallocate() }
    for b in 0..<blocks { for ch in 0..<c { for t in 0..<9 { for k in 0..<4 {
        packed[((b * c + ch) * 9 + t) * 4 + k] = weight[((4 * b + k) * c + ch) * 9 + t]
    } } } }
    let xs = SendablePointer(UnsafeMutablePointer(mutating: x)), ws = SendablePointer(UnsafeMutablePointer(mutating: weight))
    let ps = SendablePointer(packed), ys = SendablePointer(y)
    let bs = bias.map { SendablePointer(UnsafeMutablePointer(mutating: $0)) }
    let geometry = Direct3x3Plane(c: c, h: h, w: w, f: f)

    if n == 1 {   // one image: pad it once, split the filters
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: c * paddedPlane)
        defer { pad.deallocate() }
        padImage(x, channels: c, h: h, w: w, into: pad)
        let pads = SendablePointer(pad)
        let units = blocks + f % 4   // full blocks, then single filters
        parallelRanges(units, minimumPerTask: max(1, (1 << 16) / max(1, c * h * w))) { us in
            for u in us {
                geometry.filters(u < blocks ? 4 * u ..< 4 * u + 4 : 4 * blocks + (u - blocks) ..< 4 * blocks + (u - blocks) + 1,
                                 pad: pads.p, packed: ps.p, weight: ws.p, bias: bs?.p, into: ys.p)
            }
        }
        return
    }
    parallelRanges(n) { images in
        let pad = UnsafeMutablePointer<Float>.allocate(capacity: c * paddedPlane)
        defer { pad.deallocate() }
        pad.update(repeating: 0, count: c * paddedPlane)
        for i in images {
            padImage(xs.p + i * c * h * w, channels: c, h: h, w: w, into: pad, bordersZeroed: true)
            let out = ys.p + i * f * h * w
            for b in 0..<blocks {
                geometry.filters(4 * b ..< 4 * b + 4, pad: pad, packed: ps.p, weight: ws.p, bias: bs?.p, into: out)
            }
            for single in (4 * blocks)..<f {
                geometry.filters(single ..< single + 1, pad: pad, packed: ps.p, weight: ws.p, bias: bs?.p, into: out)
            }
        }
    }
}

/// Copies x [C, H, W] into pad [C, H + 2, W + 2] with a zero border (written unless the buffer's
/// borders are already zero).
func padImage(_ x: UnsafePointer<Float>, channels c: Int, h: Int, w: Int, into pad: UnsafeMutablePointer<Float>,
                      bordersZeroed: Bool = false) {
    let wp = w + 2, plane = (h + 2) * wp
    for ch in 0..<c {
        let dst = pad + ch * plane, src = x + ch * h * w
        if !bordersZeroed {
            dst.update(repeating: 0, count: wp)
            (dst + (h + 1) * wp).update(repeating: 0, count: wp)
        }
        for r in 0..<h {
            let row = dst + (r + 1) * wp
            if !bordersZeroed { row[0] = 0; row[w + 1] = 0 }
            (row + 1).update(from: src + r * w, count: w)
        }
    }
}

/// The plane geometry of one direct convolution, and the loops over its output vectors.
private struct Direct3x3Plane {
    let c, h, w, f: Int
    var wp: Int { w + 2 }

    /// Output planes `filters` (4 filters from a packed block, or 1 from the plain weight) of one image.
    @inline(__always)
    func filters(_ filters: Range<Int>, pad: UnsafePointer<Float>, packed: UnsafePointer<Float>,
                 weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let vectors = h * w / 8, perRow = w / 8
        let wp = self.wp, plane = (h + 2) * wp, hw = h * w
        // vector v covers output row v / perRow, columns 8·(v % perRow) ..< +8; in the padded
        // plane its tap (0, 0) starts at row r, column 8·(v % perRow)
        @inline(__always) func inputOffset(_ v: Int) -> Int { (v / perRow) * wp + 8 * (v % perRow) }
        @inline(__always) func outputOffset(_ v: Int) -> Int { 8 * v }
        if filters.count == 4 {
            let f0 = filters.lowerBound
            let blockWeights = packed + (f0 / 4) * c * 36
            let b0 = bias.map { SIMD8<Float>(repeating: $0[f0]) } ?? .zero
            let b1 = bias.map { SIMD8<Float>(repeating: $0[f0 + 1]) } ?? .zero
            let b2 = bias.map { SIMD8<Float>(repeating: $0[f0 + 2]) } ?? .zero
            let b3 = bias.map { SIMD8<Float>(repeating: $0[f0 + 3]) } ?? .zero
            let out = y + f0 * hw
            var v = 0
            while v + 3 <= vectors {
                kernel4x3(pad, plane: plane, wp: wp, channels: c, weights: blockWeights,
                          offsets: (inputOffset(v), inputOffset(v + 1), inputOffset(v + 2)),
                          bias: (b0, b1, b2, b3), out: out, outOffsets: (outputOffset(v), outputOffset(v + 1), outputOffset(v + 2)), hw: hw)
                v += 3
            }
            while v < vectors {
                kernel4x1(pad, plane: plane, wp: wp, channels: c, weights: blockWeights, offset: inputOffset(v),
                          bias: (b0, b1, b2, b3), out: out + outputOffset(v), hw: hw)
                v += 1
            }
        } else {
            for fi in filters {
                let wf = weight + fi * c * 9, b = bias.map { SIMD8<Float>(repeating: $0[fi]) } ?? .zero
                for v in 0..<vectors {
                    kernel1x1(pad, plane: plane, wp: wp, channels: c, weights: wf, offset: inputOffset(v), bias: b,
                              out: y + fi * hw + outputOffset(v))
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
                       out: UnsafeMutablePointer<Float>, outOffsets: (Int, Int, Int), hw: Int) {
    var a00 = bias.0, a01 = bias.0, a02 = bias.0
    var a10 = bias.1, a11 = bias.1, a12 = bias.1
    var a20 = bias.2, a21 = bias.2, a22 = bias.2
    var a30 = bias.3, a31 = bias.3, a32 = bias.3
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
                       out: UnsafeMutablePointer<Float>, hw: Int) {
    var a0 = bias.0, a1 = bias.1, a2 = bias.2, a3 = bias.3
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
                       offset: Int, bias: SIMD8<Float>, out: UnsafeMutablePointer<Float>) {
    var a = bias
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
