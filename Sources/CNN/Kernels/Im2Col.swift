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
///
/// "Same" stride-1 convolutions (OW = W: ResNet's and VGG's 3x3 pad 1, LeNet's C1, and their
/// input gradients) fill each row of col with one copy (`im2colSameWidthRow`): there, a row of
/// col and the pixels it reads advance together, W floats per output row, so the per-output-row
/// copies and zero fills (a few dozen floats each, dominated by call overhead) merge into one.
///
/// `rowStride` (default: the number of columns filled) is the distance between rows of col: the
/// batched convolution path puts the column matrices of several images side by side in one wider
/// matrix. `outputRows` (default: all) fills only the columns of those output rows, col then being
/// [cg·KH·KW, rows·OW]: the tiled path of one large image (`conv2dForward`) keeps its column
/// block in the cache instead of writing the whole matrix (115 MB for VGG's first 64-channel layer).
package func im2col(_ x: UnsafePointer<Float>, channels cg: Int, _ g: ConvGeometry, into col: UnsafeMutablePointer<Float>,
                    rowStride: Int? = nil, outputRows: Range<Int>? = nil) {
    let (h, w, oh, ow) = (g.h, g.w, g.oh, g.ow)
    let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
    let block = outputRows ?? 0..<oh
    let (r0, blockRows) = (block.lowerBound, block.count)
    let p = blockRows &* ow
    let ld = rowStride ?? p
    let sameWidth = sh == 1 && sw == 1 && ow == w
    for c in 0..<cg {
        let plane = x + c &* h &* w
        for i in 0..<g.kh {
            // the block's output rows whose tap row is inside the input, relative to the block
            let valid = validOutputRange(size: h, outSize: oh, stride: sh, pad: ph, offset: i &* dh).clamped(to: block)
            let rows = (valid.lowerBound &- r0)..<(valid.upperBound &- r0)
            for j in 0..<g.kw {
                let cols = validOutputRange(size: w, outSize: ow, stride: sw, pad: pw, offset: j &* dw)
                let dst = col + ((c &* g.kh &+ i) &* g.kw &+ j) &* ld   // seek to col[(c·KH + i)·KW + j, 0]
                if sameWidth {
                    im2colSameWidthRow(plane + r0 &* w, dst, rows: rows, cols: cols, width: w, p: p,
                                       shift: (i &* dh &- ph) &* w &+ j &* dw &- pw)
                    continue
                }
                // output rows whose tap row is padding: zeros
                dst.update(repeating: 0, count: rows.lowerBound &* ow)
                (dst + rows.upperBound &* ow).update(repeating: 0, count: (blockRows &- rows.upperBound) &* ow)
                if sw == 1 && ow < 64 && !cols.isEmpty {   // short rows (LeNet's C3: 10): no library calls
                    let (lo, last) = (cols.lowerBound, cols.upperBound &- 1)
                    for rr in rows {
                        let r = rr &+ r0, d = dst + rr &* ow
                        let src = plane + ((r &* sh &- ph &+ i &* dh) &* w &+ j &* dw &- pw)
                        for o in 0..<ow {   // clamped read, then select: branch-free, vectorised
                            let v = src[min(max(o, lo), last)]
                            d[o] = o >= lo && o <= last ? v : 0
                        }
                    }
                    continue
                }
                for rr in rows {
                    let r = rr &+ r0, d = dst + rr &* ow
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

/// One row of col for a stride-1 convolution with OW = W. Output pixel (r, o) reads
/// plane[r·W + o + shift] for r in `rows`, o in `cols` (the taps inside the input), so the block
/// from the first to the last such pixel is one contiguous copy. Inside the block, the columns
/// outside `cols` received pixels of the neighbouring input rows: they are zeroed afterwards,
/// as is everything before and after the block (taps in the padding).
@inline(__always)
private func im2colSameWidthRow(_ plane: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                rows: Range<Int>, cols: Range<Int>, width w: Int, p: Int, shift: Int) {
    guard !rows.isEmpty, !cols.isEmpty else { dst.update(repeating: 0, count: p); return }
    let first = rows.lowerBound &* w &+ cols.lowerBound, end = (rows.upperBound &- 1) &* w &+ cols.upperBound
    dst.update(repeating: 0, count: first)
    (dst + first).update(from: plane + (first &+ shift), count: end &- first)
    (dst + end).update(repeating: 0, count: p &- end)
    if cols.count == w { return }
    for r in rows {   // the columns whose tap is padding (at most the padding's width on each side)
        let d = dst + r &* w
        var o = 0
        while o < cols.lowerBound { d[o] = 0; o &+= 1 }
        o = cols.upperBound
        while o < w { d[o] = 0; o &+= 1 }
    }
}

/// The adjoint of `im2col`: adds every entry of `col` [cg·KH·KW, OH·OW] back onto the input
/// pixel it was copied from, dx [cg, H, W] (overlapping windows accumulate). Entries that came
/// from padding are dropped. Sequential, so the summation order is fixed. `rowStride` (default
/// OH·OW) is the distance between rows of col, as in `im2col`.
package func col2im(_ col: UnsafePointer<Float>, channels cg: Int, _ g: ConvGeometry, into dx: UnsafeMutablePointer<Float>,
                    rowStride: Int? = nil) {
    let (h, w, oh, ow) = (g.h, g.w, g.oh, g.ow)
    let (sh, sw) = g.stride, (ph, pw) = g.padding, (dh, dw) = g.dilation
    let p = rowStride ?? oh &* ow
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
