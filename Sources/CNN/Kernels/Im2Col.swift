// im2col / col2im: the rearrangement that turns a convolution into one matrix product.
//
// For one image and one group, the column matrix col has K = cg·KH·KW rows and P = OH·OW
// columns:  col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·sh − ph + i·dh, ow·sw − pw + j·dw]
// (zero where the tap falls into the padding). Then  out[f, p] = Σ_k w[f, k] · col[k, p],
// a [Fg, K] · [K, P] GEMM, because w[f, c, i, j] is already stored as row f of a [Fg, K] matrix.
//
// Each row of col is filled one output row (oh) at a time. The range of ow whose tap lands
// inside the input is computed once per row, so the inner loop has no bounds test; with
// stride 1 it is a plain memory copy.

/// ⌈a / b⌉ for b > 0 and any sign of a.
@inline(__always)
func ceilDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -((-a) / b) }

/// The output positions o in 0..<outSize whose tap o·stride − pad + offset lies in 0..<size.
@inline(__always)
func validOutputRange(size: Int, outSize: Int, stride: Int, pad: Int, offset: Int) -> Range<Int> {
    let lo = min(max(ceilDiv(pad - offset, stride), 0), outSize)
    let hi = max(min(ceilDiv(size + pad - offset, stride), outSize), lo)
    return lo..<hi
}

/// Fills `col` [cg·KH·KW, OH·OW] from `x` [cg, H, W] (one image, one group).
package func im2col(_ x: UnsafePointer<Float>, channels cg: Int, _ g: ConvGeometry, into col: UnsafeMutablePointer<Float>) {
    let (h, w, oh, ow) = (g.h, g.w, g.oh, g.ow)
    let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
    let p = oh &* ow
    for c in 0..<cg {
        let plane = x + c &* h &* w
        for i in 0..<g.kh {
            let rows = validOutputRange(size: h, outSize: oh, stride: sh, pad: ph, offset: i &* dh)
            for j in 0..<g.kw {
                let cols = validOutputRange(size: w, outSize: ow, stride: sw, pad: pw, offset: j &* dw)
                let dst = col + ((c &* g.kh &+ i) &* g.kw &+ j) &* p   // seek to col[(c·KH + i)·KW + j, 0]
                // output rows whose tap row is padding: zeros
                dst.update(repeating: 0, count: rows.lowerBound &* ow)
                (dst + rows.upperBound &* ow).update(repeating: 0, count: (oh &- rows.upperBound) &* ow)
                for r in rows {
                    let d = dst + r &* ow
                    let ih: Int = r &* sh &- ph &+ i &* dh
                    let shift: Int = j &* dw &- pw
                    let src = plane + (ih &* w &+ shift)   // x[c, ih, o·sw + shift] = src[o·sw]
                    d.update(repeating: 0, count: cols.lowerBound)
                    if sw == 1 {
                        (d + cols.lowerBound).update(from: src + cols.lowerBound, count: cols.count)
                    } else {
                        for o in cols { d[o] = src[o &* sw] }
                    }
                    (d + cols.upperBound).update(repeating: 0, count: ow &- cols.upperBound)
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every entry of `col` [cg·KH·KW, OH·OW] back onto the input
/// pixel it was copied from, dx [cg, H, W] (overlapping windows accumulate). Entries that came
/// from padding are dropped. Sequential, so the summation order is fixed.
package func col2im(_ col: UnsafePointer<Float>, channels cg: Int, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>) {
    let (h, w, oh, ow) = (g.h, g.w, g.oh, g.ow)
    let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
    let p = oh &* ow
    for c in 0..<cg {
        let plane = dx + c &* h &* w
        for i in 0..<g.kh {
            let rows = validOutputRange(size: h, outSize: oh, stride: sh, pad: ph, offset: i &* dh)
            for j in 0..<g.kw {
                let cols = validOutputRange(size: w, outSize: ow, stride: sw, pad: pw, offset: j &* dw)
                let src = col + ((c &* g.kh &+ i) &* g.kw &+ j) &* p
                for r in rows {
                    let s = src + r &* ow
                    let ih: Int = r &* sh &- ph &+ i &* dh
                    let shift: Int = j &* dw &- pw
                    let d = plane + (ih &* w &+ shift)
                    if sw == 1 {
                        for o in cols { d[o] += s[o] }
                    } else {
                        for o in cols { d[o &* sw] += s[o] }
                    }
                }
            }
        }
    }
}
