// Weight gradient of the direct convolution (ConvDirect.swift), without im2col:
//
//   dW[f, c, i, j] = Σ_n Σ_r Σ_x gy[n, f, r, x] · xpad[n, c, r + i, x + j]
//
// Work is split into units (a block of 4 filters, one input channel). For one unit, one kernel
// row i and a group of 3 taps j, 12 vector accumulators hold the 4 filters × 3 taps; each vector
// of 8 output pixels costs 4 loads of gy, 3 unaligned loads of the padded input and 12 fused
// multiply-adds. gy and x are laid out with the padded row length, so any width works and the
// vectors run through a whole plane in one loop (short rows, such as 8x8 planes, pay no per-row
// overhead). Each lane sums its own pixel column; the 8 lanes are added at the very end.
//
// The images are split over the cores (each task sums its own partial dW; the partials are
// added in task order, as in the im2col path). A task works through its images in chunks, the
// lane sums kept in a scratch buffer between chunks. What one unit reads from a chunk (4 gy planes
// and one input plane per image) is at most 16 KB, half the L1 cache: with 7 vector loads per 12
// multiply-adds the loop needs more bandwidth than L2 gives. Units go filter block by filter
// block, so the block's gy planes stay in L1 while its input channels go by. Small planes (8x8)
// take several images per chunk, so the accumulators are not reloaded too often.

/// dw [F, C, KH, KW] = the weight gradient of `directConv` for gy [N, F, OH, OW] and x [N, C, H, W]
/// (overwritten, not accumulated).
package func directConvWeightGradient(gy: UnsafePointer<Float>, x: UnsafePointer<Float>, _ g: ConvGeometry,
                                      into dw: UnsafeMutablePointer<Float>) {
    precondition(g.stride == (1, 1) && g.dilation == (1, 1) && g.groups == 1 && g.oh >= 1 && g.ow >= 1,
                 "directConvWeightGradient: unsupported geometry \(g)")
    let (n, c, f, h, w, kh, kw, oh, ow) = (g.n, g.c, g.f, g.h, g.w, g.kh, g.kw, g.oh, g.ow)
    let plane = DirectConvPlane(geometry: g)
    let blocks = f / 4, singles = f % 4, wp = plane.wp, hw = h * w, ohw = oh * ow, taps = kh * kw
    // gy is copied with rows WP apart (zeros in the KW − 1 extra columns and after the last row),
    // like the padded input: then output pixel (r, x) at position r·WP + x reads its tap (i, j) at
    // position + i·WP + j of the padded input, and one loop of `vectors` runs through the whole
    // plane. The extra columns hold zero gradients, so what they multiply adds nothing.
    let vectors = (oh * wp + 7) / 8, gyPlane = 8 * vectors
    let xPlane = plane.inputPlane
    let chunk = max(1, min(n, (1 << 12) / (4 * gyPlane + xPlane)))
    // Taps of a kernel row in groups of three (the last group of a 5-wide row computes a third
    // tap past the row, which is dropped). Lane sums: unit u, kernel row i, group j, then 12
    // vectors (filter k, tap 3j + t at 3k + t) for a block, 3 vectors for a single filter.
    let groups = (kw + 2) / 3
    let units = blocks * c + singles * c
    let unitVectors = kh * groups * 12, weightCount = f * c * taps
    let tasks = max(1, min(Engine.threadCount, n))
    // Task 0 writes dw itself; the others their own partial sums, added in task order at the end.
    let partials = tasks > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: (tasks - 1) * weightCount) : nil
    defer { partials?.deallocate() }
    let gs = SendablePointer(UnsafeMutablePointer(mutating: gy)), xs = SendablePointer(UnsafeMutablePointer(mutating: x))
    let dws = SendablePointer(dw), ps = partials.map { SendablePointer($0) }
    parallelRanges(tasks) { ts in
        for t in ts {
            let scratch = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: units * unitVectors)
            scratch.initialize(repeating: .zero, count: units * unitVectors)
            let pad = UnsafeMutablePointer<Float>.allocate(capacity: chunk * c * xPlane)
            pad.initialize(repeating: 0, count: chunk * c * xPlane)
            let gyPadded = UnsafeMutablePointer<Float>.allocate(capacity: chunk * f * gyPlane)
            gyPadded.initialize(repeating: 0, count: chunk * f * gyPlane)
            defer { scratch.deallocate(); pad.deallocate(); gyPadded.deallocate() }
            let mine = (n * t / tasks)..<(n * (t + 1) / tasks)
            for n0 in stride(from: mine.lowerBound, to: mine.upperBound, by: chunk) {
                let images = min(chunk, mine.upperBound - n0)
                for i in 0..<images {   // lay out the chunk (borders and extra columns stay zero)
                    plane.layOut(xs.p + (n0 + i) * c * hw, into: pad + i * c * xPlane)
                    for q in 0..<f {
                        let dst = gyPadded + (i * f + q) * gyPlane, src = gs.p + ((n0 + i) * f + q) * ohw
                        for row in 0..<oh { (dst + row * wp).update(from: src + row * ow, count: ow) }
                    }
                }
                for u in 0..<units {
                    let acc = scratch + u * unitVectors
                    let block = u < blocks * c
                    let (first, ch) = block ? (4 * (u / c), u % c) : (4 * blocks + (u - blocks * c) / c, (u - blocks * c) % c)
                    for i in 0..<kh { for j in 0..<groups {
                        let g = UnsafePointer(gyPadded + first * gyPlane), xp = UnsafePointer(pad + ch * xPlane + i * wp + 3 * j)
                        let a = acc + 12 * (i * groups + j)
                        if block {
                            weightGradientBlock(gy: g, gyPlane: gyPlane, gyImage: f * gyPlane, x: xp, xImage: c * xPlane,
                                                vectors: vectors, images: images, acc: a)
                        } else {
                            weightGradientSingle(gy: g, gyImage: f * gyPlane, x: xp, xImage: c * xPlane,
                                                 vectors: vectors, images: images, acc: a)
                        }
                    } }
                }
            }
            let out = t == 0 ? dws.p : ps!.p + (t - 1) * weightCount
            for u in 0..<units {   // lanes -> dW
                let acc = scratch + u * unitVectors
                let (filters, first, ch) = u < blocks * c ? (4, 4 * (u / c), u % c)
                    : (1, 4 * blocks + (u - blocks * c) / c, (u - blocks * c) % c)
                for k in 0..<filters { for i in 0..<kh { for j in 0..<kw {
                    out[((first + k) * c + ch) * taps + i * kw + j] = acc[12 * (i * groups + j / 3) + 3 * k + j % 3].sum()
                } } }
            }
        }
    }
    if let partials {   // fixed order: dw = part_0 + part_1 + …
        for t in 0..<(tasks - 1) {
            let part = partials + t * weightCount
            for i in 0..<weightCount { dw[i] += part[i] }
        }
    }
}

/// 4 filters (gy planes `gyPlane` apart) × 3 taps of one kernel row, over `images` images;
/// `x` points at the row's first tap in the first image's padded channel.
@inline(__always)
private func weightGradientBlock(gy: UnsafePointer<Float>, gyPlane: Int, gyImage: Int, x: UnsafePointer<Float>, xImage: Int,
                                 vectors: Int, images: Int, acc: UnsafeMutablePointer<SIMD8<Float>>) {
    var a00 = acc[0], a01 = acc[1], a02 = acc[2], a10 = acc[3], a11 = acc[4], a12 = acc[5]
    var a20 = acc[6], a21 = acc[7], a22 = acc[8], a30 = acc[9], a31 = acc[10], a32 = acc[11]
    for i in 0..<images {
        var g0 = gy + i &* gyImage, xo = x + i &* xImage
        let g1 = gyPlane, g2 = 2 &* gyPlane, g3 = 3 &* gyPlane
        for _ in 0..<vectors {
            let x0 = load8(xo), x1 = load8(xo + 1), x2 = load8(xo + 2)
            let y0 = load8(g0)
            a00 = a00.addingProduct(y0, x0); a01 = a01.addingProduct(y0, x1); a02 = a02.addingProduct(y0, x2)
            let y1 = load8(g0 + g1)
            a10 = a10.addingProduct(y1, x0); a11 = a11.addingProduct(y1, x1); a12 = a12.addingProduct(y1, x2)
            let y2 = load8(g0 + g2)
            a20 = a20.addingProduct(y2, x0); a21 = a21.addingProduct(y2, x1); a22 = a22.addingProduct(y2, x2)
            let y3 = load8(g0 + g3)
            a30 = a30.addingProduct(y3, x0); a31 = a31.addingProduct(y3, x1); a32 = a32.addingProduct(y3, x2)
            g0 += 8; xo += 8
        }
    }
    acc[0] = a00; acc[1] = a01; acc[2] = a02; acc[3] = a10; acc[4] = a11; acc[5] = a12
    acc[6] = a20; acc[7] = a21; acc[8] = a22; acc[9] = a30; acc[10] = a31; acc[11] = a32
}

/// One filter × 3 taps of one kernel row (filters left over after the blocks of four).
@inline(__always)
private func weightGradientSingle(gy: UnsafePointer<Float>, gyImage: Int, x: UnsafePointer<Float>, xImage: Int,
                                  vectors: Int, images: Int, acc: UnsafeMutablePointer<SIMD8<Float>>) {
    var a0 = acc[0], a1 = acc[1], a2 = acc[2]
    for i in 0..<images {
        var g = gy + i &* gyImage, xo = x + i &* xImage
        for _ in 0..<vectors {
            let y = load8(g)
            a0 = a0.addingProduct(y, load8(xo)); a1 = a1.addingProduct(y, load8(xo + 1)); a2 = a2.addingProduct(y, load8(xo + 2))
            g += 8; xo += 8
        }
    }
    acc[0] = a0; acc[1] = a1; acc[2] = a2
}
