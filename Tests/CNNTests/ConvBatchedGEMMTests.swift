import Testing
import CNN
import _TestSupport

// The fast paths of the convolution and GEMM kernels, each against the plain loops:
// several images sharing one GEMM (small output planes), and a product large enough for
// `sgemm` to split it over the cores itself.

/// Convolutions whose output planes are small enough for the batched path (P = OH·OW below
/// the GEMM width), with batch sizes that leave a remainder group in each task.
private let batchedCases: [ConvCase] = [
    ConvCase(name: "3x3 pad 1 on 4x4, batch 7 (flipped input gradient)", input: [7, 5, 4, 4], filters: 6, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "5x5 on 9x9 (LeNet C3-like), batch 9, no bias", input: [9, 3, 9, 9], filters: 4, kernel: (5, 5), bias: false),
    ConvCase(name: "groups 2 pad 1 on 6x5, batch 6", input: [6, 4, 6, 5], filters: 6, kernel: (3, 3), padding: (1, 1), groups: 2),
    ConvCase(name: "stride 2 (col2im input gradient), batch 5", input: [5, 3, 8, 8], filters: 4, kernel: (3, 3),
             stride: (2, 2), padding: (1, 1)),
    ConvCase(name: "1x1 stride 2 projection, batch 8", input: [8, 4, 6, 6], filters: 8, kernel: (1, 1), stride: (2, 2)),
    ConvCase(name: "LeNet C5-like: 5x5 on 5x5 (one output pixel, col2im input gradient), batch 7", input: [7, 6, 5, 5], filters: 12,
             kernel: (5, 5)),
]

/// Expects `a` (a fast path's result) to equal the reference `b` within 1e-4, naming the case and what differs.
func compare(_ a: Tensor?, _ b: Tensor, _ what: String, _ c: ConvCase) {
    guard let a else { Issue.record("\(c.name): \(what) missing"); return }
    #expect(a.shape == b.shape, "\(c.name): \(what) shape")
    #expect(isApproximatelyEqual(a.scalars, b.scalars, rtol: 1e-4, atol: 1e-4),
            "\(c.name): \(what) differs, worst \(String(describing: worstMismatch(a.scalars, b.scalars, rtol: 1e-4, atol: 1e-4)))")
}

/// One convolution path on case `c` against the plain loops of ConvReference.swift: `kernel` writes
/// y = conv(x, w) (+ b) into a zeroed y with the path's raw kernel; then conv2dForward and
/// conv2dBackward under `direct` and `winograd` must give the reference output and gradients, with
/// every gradient asked for, the input gradient alone and the weight gradient alone. `seed` and the
/// three after it draw x, w, b and gy.
func checkConvPath(_ c: ConvCase, seed: UInt64, kernelName: String, direct: DirectConvolution, winograd: WinogradConvolution,
                   kernel: (_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ y: Tensor) -> Void) {
    let g = c.geometry
    let x = Tensor.randomNormal(c.input, seed: seed), w = Tensor.randomNormal(c.weightShape, std: 0.3, seed: seed + 1)
    let b = c.bias ? Tensor.randomNormal([c.filters], seed: seed + 2) : nil
    let y = Tensor(zeros: [g.n, g.f, g.oh, g.ow])
    kernel(x, w, b, y)
    let expected = referenceConv2dForward(x, weight: w, bias: b, g)
    compare(y, expected, "output (\(kernelName))", c)
    compare(conv2dForward(x, weight: w, bias: b, g, direct: direct, winograd: winograd), expected, "output (conv2dForward)", c)

    let gy = Tensor.randomNormal([g.n, g.f, g.oh, g.ow], seed: seed + 3)
    let ref = referenceConv2dBackward(gy, x: x, weight: w, g)
    let (dx, dw, db) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: true, needWeight: true,
                                      needBias: c.bias, direct: direct, winograd: winograd)
    compare(dx, ref.dx, "input gradient", c)
    compare(dw, ref.dw, "weight gradient", c)
    if c.bias { compare(db, ref.db, "bias gradient", c) }
    let (dxOnly, dwNone, _) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: true, needWeight: false,
                                             needBias: false, direct: direct, winograd: winograd)
    #expect(dwNone == nil)
    compare(dxOnly, ref.dx, "input gradient alone", c)
    let (dxNone, dwOnly, _) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: false, needWeight: true,
                                             needBias: false, direct: direct, winograd: winograd)
    #expect(dxNone == nil)
    compare(dwOnly, ref.dw, "weight gradient alone", c)
}

@Suite("conv2d batched GEMM and split sgemm")
struct ConvBatchedGEMMTests {
    @Test("one image: im2col split over channels and the split GEMM equal the direct loops",
          arguments: [ConvThreading.automatic, .blas])
    func singleImage(threading: ConvThreading) {
        // 16 channels of 9·576 column entries each: enough for the channel split on two cores
        let c = ConvCase(name: "batch 1, 16->24 3x3 pad 1 on 24x24", input: [1, 16, 24, 24], filters: 24, kernel: (3, 3),
                         padding: (1, 1))
        let g = c.geometry
        let x = Tensor.randomNormal(c.input, seed: 25), w = Tensor.randomNormal(c.weightShape, std: 0.2, seed: 26)
        let b = Tensor.randomNormal([c.filters], seed: 27)
        compare(conv2dForward(x, weight: w, bias: b, g, threading: threading),
                referenceConv2dForward(x, weight: w, bias: b, g), "output", c)
    }

    @Test("several images per GEMM equal the direct loops", arguments: batchedCases, [ConvThreading.perImage, .blas])
    func batchedMatchesReference(_ c: ConvCase, threading: ConvThreading) {
        let g = c.geometry
        // The case does take the batched path: more than one image per GEMM.
        #expect(ConvSettings.imagesPerGEMM(pixels: g.oh * g.ow, rows: g.channelsPerGroup * g.kh * g.kw, images: 3) > 1)
        let x = Tensor.randomNormal(c.input, seed: 21), w = Tensor.randomNormal(c.weightShape, std: 0.5, seed: 22)
        let b = c.bias ? Tensor.randomNormal([c.filters], seed: 23) : nil
        let gy = Tensor.randomNormal([g.n, g.f, g.oh, g.ow], seed: 24)
        compare(conv2dForward(x, weight: w, bias: b, g, threading: threading),
                referenceConv2dForward(x, weight: w, bias: b, g), "output", c)
        let (dx, dw, db) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: true, needWeight: true,
                                          needBias: c.bias, threading: threading)
        let ref = referenceConv2dBackward(gy, x: x, weight: w, g)
        compare(dx, ref.dx, "input gradient", c)
        compare(dw, ref.dw, "weight gradient", c)
        if c.bias { compare(db, ref.db, "bias gradient", c) }
        // Only one of the two gradients (the first layer needs no input gradient).
        let (dxOnly, dwNone, _) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: true, needWeight: false,
                                                 needBias: false, threading: threading)
        #expect(dwNone == nil)
        compare(dxOnly, ref.dx, "input gradient alone", c)
        let (dxNone, dwOnly, _) = conv2dBackward(gy, x: x, weight: w, hasBias: c.bias, g, needInput: false, needWeight: true,
                                                 needBias: false, threading: threading)
        #expect(dxNone == nil)
        compare(dwOnly, ref.dw, "weight gradient alone", c)
    }

    @Test("a product split over the cores equals the plain loops", arguments: [(160, 96, 80), (200, 40, 150)])
    func splitSGEMM(_ size: (Int, Int, Int)) {
        let (m, n, k) = size
        #expect(m * n * k >= sgemmSplitMACs)   // large enough to be split (when more than one core)
        let a = Tensor.randomNormal([m, k], seed: 31).scalars, b = Tensor.randomNormal([k, n], seed: 32).scalars
        let expected = referenceMatMul(a, b, m: m, n: n, k: k)
        let at = (0..<k * m).map { a[($0 % m) * k + $0 / m] }   // Aᵀ stored [k, m]
        let bt = (0..<n * k).map { b[($0 % k) * n + $0 / k] }   // Bᵀ stored [n, k]
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            var c = [Float](repeating: 7, count: m * n)   // beta 0 overwrites whatever is there
            (ta ? at : a).withUnsafeBufferPointer { ap in (tb ? bt : b).withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: ap.baseAddress!, lda: ta ? m : k,
                          b: bp.baseAddress!, ldb: tb ? k : n, c: cp.baseAddress!, ldc: n)
                }
            } }
            #expect(isApproximatelyEqual(c, expected, rtol: 1e-4, atol: 1e-3), "transposeA \(ta), transposeB \(tb)")
        }
    }

    @Test("a row vector times a matrix (GEMV path) equals the plain loops", arguments: [(300, 40), (1100, 1024)])
    func vectorTimesMatrix(_ size: (Int, Int)) {
        let (n, k) = size   // the second is large enough to be split over the cores
        let a = Tensor.randomNormal([1, k], seed: 33).scalars, b = Tensor.randomNormal([k, n], seed: 34).scalars
        let expected = referenceMatMul(a, b, m: 1, n: n, k: k)
        let bt = (0..<n * k).map { b[($0 % k) * n + $0 / k] }   // Bᵀ stored [n, k]
        // op(A) as the column of a [k, 3] matrix (lda 3) when transposed
        let aColumn = (0..<k * 3).map { $0 % 3 == 0 ? a[$0 / 3] : Float.nan }
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for beta: Float in [0, 1] {
                var c = [Float](repeating: beta == 0 ? .nan : 2, count: n)   // beta 0 ignores C, even NaN
                (ta ? aColumn : a).withUnsafeBufferPointer { ap in (tb ? bt : b).withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        sgemm(transposeA: ta, transposeB: tb, m: 1, n: n, k: k, a: ap.baseAddress!, lda: ta ? 3 : k,
                              b: bp.baseAddress!, ldb: tb ? k : n, beta: beta, c: cp.baseAddress!, ldc: n)
                    }
                } }
                let want = expected.map { $0 + (beta == 0 ? 0 : 2) }
                #expect(isApproximatelyEqual(c, want, rtol: 1e-4, atol: 1e-3), "transposeA \(ta), transposeB \(tb), beta \(beta)")
            }
        }
    }
}

/// Images whose column matrix exceeds `ConvSettings.columnTileBytes`: im2col and the GEMM run in
/// blocks of output rows (split over the cores at batch 1, serial inside per-image tasks).
private let blockedCases: [ConvCase] = [
    ConvCase(name: "batch 1, 16->8 3x3 pad 1 on 64x64 (same-width rows)", input: [1, 16, 64, 64], filters: 8, kernel: (3, 3),
             padding: (1, 1)),
    ConvCase(name: "batch 1, 8->6 5x5 stride 2 pad 2 on 90x70 (odd row count)", input: [1, 8, 90, 70], filters: 6, kernel: (5, 5),
             stride: (2, 2), padding: (2, 2)),
    ConvCase(name: "batch 1, groups 2, 64->10 3x3 pad 1 on 50x40, no bias", input: [1, 64, 50, 40], filters: 10, kernel: (3, 3),
             padding: (1, 1), groups: 2, bias: false),
    ConvCase(name: "batch 1, 16->4 5x5 unpadded on 60x60 (short rows)", input: [1, 16, 60, 60], filters: 4, kernel: (5, 5)),
    ConvCase(name: "batch 3, 16->8 3x3 pad 1 on 48x48 (per-image tasks)", input: [3, 16, 48, 48], filters: 8, kernel: (3, 3),
             padding: (1, 1)),
]

@Test("large images: im2col and the GEMM in blocks of output rows equal the direct loops", arguments: blockedCases)
func blockedColumnsMatchReference(_ c: ConvCase) {
    let g = c.geometry
    let tasks = min(Engine.threadCount, g.n)
    let rows = ConvSettings.columnTileRows(g, rows: g.channelsPerGroup * g.kh * g.kw, splitting: g.n == 1)
    #expect(rows != nil && rows! < g.oh, "\(c.name): the blocked path is taken")
    let x = Tensor.randomNormal(c.input, seed: 31), w = Tensor.randomNormal(c.weightShape, std: 0.2, seed: 32)
    let b = c.bias ? Tensor.randomNormal([c.filters], seed: 33) : nil
    let expected = referenceConv2dForward(x, weight: w, bias: b, g)
    compare(conv2dForward(x, weight: w, bias: b, g, threading: tasks > 1 ? .perImage : .automatic, direct: .never), expected,
            "output", c)
    compare(conv2dForward(x, weight: w, bias: b, g, threading: .blas, direct: .never), expected, "output (one task)", c)
}
