// Weight gradient of the direct 3x3 convolution (ConvDirect3x3.swift), without im2col:
//
//   dW[f, c, i, j] = Σ_n Σ_r Σ_x gy[n, f, r, x] · xpad[n, c, r + i, x + j]
//
// Work is split into units (a block of 4 filters, one input channel). For one unit and one
// kernel row i, 12 vector accumulators hold the 4 filters × 3 taps j; each vector of 8 output
// pixels costs 4 loads of gy, 3 unaligned loads of the padded input and 12 fused multiply-adds.
// Each lane sums its own pixel column; the 8 lanes are added at the very end.
//
// The batch is processed in chunks of images whose gy and padded input fit in about half a
// megabyte (a core's L2 cache), so that the units, which all read the same chunk, find it in
// cache. The lane sums live in a scratch buffer between chunks. Units are split over the cores;
// every dW entry is summed by one unit in the order (image, row, column), so the result does
// not depend on the number of threads.

/// dw [F, C, 3, 3] = the weight gradient of `direct3x3` for gy [N, F, H, W] and x [N, C, H, W]
/// (overwritten, not accumulated).
package func direct3x3WeightGradient(gy: UnsafePointer<Float>, x: UnsafePointer<Float>, n: Int, c: Int, h: Int, w: Int,
                                     f: Int, into dw: UnsafeMutablePointer<Float>) {
    precondition(w % 8 == 0 && h >= 1 && c >= 1 && f >= 1 && n >= 1, "direct3x3WeightGradient: width \(w) must be a multiple of 8")
    let blocks = f / 4, singles = f % 4, wp = w + 2, paddedPlane = (h + 2) * wp, hw = h * w
    let chunk = max(1, min(n, (1 << 17) / max(1, (f + c) * hw)))
    // Lane sums: unit u, kernel row i, then 12 vectors (filter k, tap j at 3k + j) for a block,
    // 3 vectors (tap j) for a single filter.
    let units = blocks * c + singles * c
    let unitVectors = 3 * 12
    let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: units * unitVectors)
    scratch.initialize(repeating: .zero, count: units * unitVectors)
    let pad = UnsafeMutablePointer<Float>.allocate(capacity: chunk * c * paddedPlane)
    pad.initialize(repeating: 0, count: chunk * c * paddedPlane)
    defer { scratch.deallocate(); pad.deallocate() }
    let ss = SendablePointer(scratch), pads = SendablePointer(pad)
    let gs = SendablePointer(UnsafeMutablePointer(mutating: gy)), xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    let plane = Direct3x3WeightPlane(c: c, h: h, w: w, f: f)
    for n0 in stride(from: 0, to: n, by: chunk) {
        let images = min(chunk, n - n0)
        parallelRanges(images * c, minimumPerTask: 8) { r in   // pad the chunk (borders stay zero)
            for ic in r {
                let (i, ch) = (ic / c, ic % c)
                padImage(xs.p + ((n0 + i) * c + ch) * hw, channels: 1, h: h, w: w, into: pads.p + (i * c + ch) * paddedPlane,
                         bordersZeroed: true)
            }
        }
        parallelRanges(units, minimumPerTask: max(1, (1 << 14) / max(1, images * hw))) { us in
            for u in us {
                let acc = ss.p + u * unitVectors
                if u < blocks * c {
                    let (b, ch) = (u / c, u % c)
                    for i in 0..<3 {
                        plane.block(gy: gs.p + (n0 * f + 4 * b) * hw, pad: pads.p + ch * paddedPlane + i * wp, images: images,
                                    acc: acc + 12 * i)
                    }
                } else {
                    let (s, ch) = ((u - blocks * c) / c, (u - blocks * c) % c)
                    for i in 0..<3 {
                        plane.single(gy: gs.p + (n0 * f + 4 * blocks + s) * hw, pad: pads.p + ch * paddedPlane + i * wp,
                                     images: images, acc: acc + 12 * i)
                    }
                }
            }
        }
    }
    for u in 0..<units {   // lanes -> dW
        let acc = scratch + u * unitVectors
        let (filters, first, ch) = u < blocks * c ? (4, 4 * (u / c), u % c) : (1, 4 * blocks + (u - blocks * c) / c, (u - blocks * c) % c)
        for k in 0..<filters { for i in 0..<3 { for j in 0..<3 {
            dw[((first + k) * c + ch) * 9 + 3 * i + j] = acc[12 * i + 3 * k + j].sum()
        } } }
    }
}

/// The loops over one chunk for one unit and kernel row.
private struct Direct3x3WeightPlane {
    let c, h, w, f: Int

    /// 4 filters (gy planes at `gy`, `gy + hw`, …, per image `f·hw` apart) × 3 taps of one
    /// kernel row; `pad` points at the row's first tap in the first image's padded channel.
    @inline(__always)
    func block(gy: UnsafePointer<Float>, pad: UnsafePointer<Float>, images: Int, acc: UnsafeMutablePointer<SIMD8<Float>>) {
        let hw = h * w, wp = w + 2, perRow = w / 8, imageStride = c * (h + 2) * wp
        var a00 = acc[0], a01 = acc[1], a02 = acc[2], a10 = acc[3], a11 = acc[4], a12 = acc[5]
        var a20 = acc[6], a21 = acc[7], a22 = acc[8], a30 = acc[9], a31 = acc[10], a32 = acc[11]
        for i in 0..<images {
            let g0 = gy + i &* f &* hw, g1 = g0 + hw, g2 = g0 + 2 &* hw, g3 = g0 + 3 &* hw
            let xi = pad + i &* imageStride
            for r in 0..<h {
                let xr = xi + r &* wp, gr = r &* w
                for v in 0..<perRow {
                    let xo = xr + 8 &* v, go = gr &+ 8 &* v
                    let x0 = load8(xo), x1 = load8(xo + 1), x2 = load8(xo + 2)
                    let y0 = load8(g0 + go)
                    a00 = a00.addingProduct(y0, x0); a01 = a01.addingProduct(y0, x1); a02 = a02.addingProduct(y0, x2)
                    let y1 = load8(g1 + go)
                    a10 = a10.addingProduct(y1, x0); a11 = a11.addingProduct(y1, x1); a12 = a12.addingProduct(y1, x2)
                    let y2 = load8(g2 + go)
                    a20 = a20.addingProduct(y2, x0); a21 = a21.addingProduct(y2, x1); a22 = a22.addingProduct(y2, x2)
                    let y3 = load8(g3 + go)
                    a30 = a30.addingProduct(y3, x0); a31 = a31.addingProduct(y3, x1); a32 = a32.addingProduct(y3, x2)
                }
            }
        }
        acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a10; acc[4] = a11; acc[5] = a12
        acc[6] = a20; acc[7] = a21; acc[8] = a22; acc[9] = a30; acc[10] = a31; acc[11] = a32
    }

    /// One filter × 3 taps of one kernel row (filters left over after the blocks of four).
    @inline(__always)
    func single(gy: UnsafePointer<Float>, pad: UnsafePointer<Float>, images: Int, acc: UnsafeMutablePointer<SIMD8<Float>>) {
        let hw = h * w, wp = w + 2, perRow = w / 8, imageStride = c * (h + 2) * wp
        var a0 = acc[0], a1 = acc[1], a2 = acc[2]
        for i in 0..<images {
            let g = gy + i &* f &* hw, xi = pad + i &* imageStride
            for r in 0..<h {
                let xr = xi + r &* wp, gr = g + r &* w
                for v in 0..<perRow {
                    let xo = xr + 8 &* v, y = load8(gr + 8 &* v)
                    a0 = a0.addingProduct(y, load8(xo)); a1 = a1.addingProduct(y, load8(xo + 1)); a2 = a2.addingProduct(y, load8(xo + 2))
                }
            }
        }
        acc[0] = a0; acc[1] = a1; acc[2] = a2
    }
}
