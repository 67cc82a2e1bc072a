// Reference convolution: the definition, in plain nested loops. The fast kernels in
// ConvKernels.swift (im2col + sgemm) are tested against these; nothing else calls them.
//
// Legend: n batch, f out-channel, c in-channel within the group, grp group,
// (oh, ow) output pixel, (i, j) kernel tap, (ih, iw) input pixel.
// Layouts: x [N, C, H, W], w [F, C/groups, KH, KW], out [N, F, OH, OW], all row-major.

/// Direct convolution, out[n, f, oh, ow] = b[f] + Σ_c Σ_i Σ_j x[n, grp·cg + c, ih, iw] · w[f, c, i, j]
/// with ih = oh·sh − ph + i·dh, iw = ow·sw − pw + j·dw, and taps in the padding contributing zero.
package func referenceConv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor?, _ g: ConvGeometry) -> Tensor {
    let out = Tensor(zeros: [g.n, g.f, g.oh, g.ow])
    let (cg, fg) = (g.channelsPerGroup, g.filtersPerGroup)
    let bias = bias?.scalars
    x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in out.withUnsafeMutableBufferPointer { op in
        for n in 0..<g.n { for f in 0..<g.f {
            let grp = f / fg
            for oh in 0..<g.oh { for ow in 0..<g.ow {
                var acc: Float = bias?[f] ?? 0
                // the loop that dominates: cg·KH·KW multiply-adds per output pixel
                for c in 0..<cg { for i in 0..<g.kh { for j in 0..<g.kw {
                    let ih = oh * g.stride.0 - g.padding.0 + i * g.dilation.0
                    let iw = ow * g.stride.1 - g.padding.1 + j * g.dilation.1
                    if ih < 0 || ih >= g.h || iw < 0 || iw >= g.w { continue }   // zero padding
                    // seek to x[n, grp·cg + c, ih, iw] and w[f, c, i, j]
                    acc += xp[((n * g.c + grp * cg + c) * g.h + ih) * g.w + iw] * wp[((f * cg + c) * g.kh + i) * g.kw + j]
                } } }
                op[((n * g.f + f) * g.oh + oh) * g.ow + ow] = acc
            } }
        } }
    } } }
    return out
}

/// Gradients of `referenceConv2dForward` by the same loops, each line differentiating
///     acc += x[n, grp·cg + c, ih, iw] · w[f, c, i, j]
/// dx[n, grp·cg + c, ih, iw] += gy[n, f, oh, ow] · w[f, c, i, j]
/// dw[f, c, i, j]            += gy[n, f, oh, ow] · x[n, grp·cg + c, ih, iw]
/// db[f]                     += gy[n, f, oh, ow]          (from acc = b[f] + …)
package func referenceConv2dBackward(_ gy: Tensor, x: Tensor, weight: Tensor, _ g: ConvGeometry)
    -> (dx: Tensor, dw: Tensor, db: Tensor) {
    let dx = Tensor(zeros: x.shape), dw = Tensor(zeros: weight.shape), db = Tensor(zeros: [g.f])
    let (cg, fg) = (g.channelsPerGroup, g.filtersPerGroup)
    gy.withUnsafeBufferPointer { gp in x.withUnsafeBufferPointer { xp in weight.withUnsafeBufferPointer { wp in
    dx.withUnsafeMutableBufferPointer { dxp in dw.withUnsafeMutableBufferPointer { dwp in db.withUnsafeMutableBufferPointer { dbp in
        for n in 0..<g.n { for f in 0..<g.f {
            let grp = f / fg
            for oh in 0..<g.oh { for ow in 0..<g.ow {
                let go = gp[((n * g.f + f) * g.oh + oh) * g.ow + ow]
                dbp[f] += go
                for c in 0..<cg { for i in 0..<g.kh { for j in 0..<g.kw {
                    let ih = oh * g.stride.0 - g.padding.0 + i * g.dilation.0
                    let iw = ow * g.stride.1 - g.padding.1 + j * g.dilation.1
                    if ih < 0 || ih >= g.h || iw < 0 || iw >= g.w { continue }
                    let xi = ((n * g.c + grp * cg + c) * g.h + ih) * g.w + iw
                    let wi = ((f * cg + c) * g.kh + i) * g.kw + j
                    dxp[xi] += go * wp[wi]
                    dwp[wi] += go * xp[xi]
                } } }
            } }
        } }
    } } } } } }
    return (dx, dw, db)
}
