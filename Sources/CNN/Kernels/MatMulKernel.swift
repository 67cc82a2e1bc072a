import CBLAS

// Row-major single-precision GEMM: C[m, n] = alpha * op(A)[m, k] · op(B)[k, n] + beta * C[m, n].
// Every dense product of the engine (linear layers, im2col convolutions, 1x1 convolutions)
// goes through this one call to OpenBLAS.
//
// BLAS runs single-threaded (see `Engine`). A product of at least `sgemmSplitMACs`
// multiply-adds called outside a parallel region is split into `Engine.threadCount` blocks of
// columns of C (rows when C is taller than wide), one single-threaded BLAS call per task. Each
// block is the same arithmetic as the whole (every C entry is one dot product over k), so the
// result does not depend on the split.

/// Smallest product (m·n·k multiply-adds) that `sgemm` splits over the cores. Below it the
/// fork/join costs more than it saves.
package let sgemmSplitMACs = 1 << 20

@inline(__always)
package func sgemm(transposeA: Bool = false, transposeB: Bool = false,
                   m: Int, n: Int, k: Int, alpha: Float = 1,
                   a: UnsafePointer<Float>, lda: Int,
                   b: UnsafePointer<Float>, ldb: Int,
                   beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {   // BLAS leaves C untouched when k = 0; the product is zero
        if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    Engine.blasConfigured
    let tasks = Engine.threadCount
    if m == 1 {   // a row vector times a matrix (a linear layer on one image): GEMV, see below
        vectorTimesMatrix(transposeA: transposeA, transposeB: transposeB, n: n, k: k, alpha: alpha, a: a, lda: lda,
                          b: b, ldb: ldb, beta: beta, c: c, tasks: tasks)
        return
    }
    if tasks > 1, m * n * k >= sgemmSplitMACs, !ParallelRegion.isActive, max(m, n) >= 32 * tasks {
        let a0 = SendablePointer(UnsafeMutablePointer(mutating: a)), b0 = SendablePointer(UnsafeMutablePointer(mutating: b))
        let c0 = SendablePointer(c)
        if n >= m {   // blocks of columns (multiples of 16, BLAS's panel width)
            let blocks = (n + 15) / 16
            parallelRanges(blocks) { r in
                let lo = r.lowerBound * 16, hi = min(n, r.upperBound * 16)
                blasCall(transposeA, transposeB, m, hi - lo, k, alpha, a0.p, lda,
                         b0.p + (transposeB ? lo * ldb : lo), ldb, beta, c0.p + lo, ldc)
            }
        } else {      // blocks of rows
            let blocks = (m + 15) / 16
            parallelRanges(blocks) { r in
                let lo = r.lowerBound * 16, hi = min(m, r.upperBound * 16)
                blasCall(transposeA, transposeB, hi - lo, n, k, alpha, a0.p + (transposeA ? lo : lo * lda), lda,
                         b0.p, ldb, beta, c0.p + lo * ldc, ldc)
            }
        }
        return
    }
    blasCall(transposeA, transposeB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

/// C[1, n] = alpha · op(A)[1, k] · op(B)[k, n] + beta · C through `cblas_sgemv`. GEMM would pack
/// all of B (AlexNet's 9216x4096 classifier weight: 150 MB) and run its 16-row micro-kernel on
/// one row; GEMV streams B once. Large products split the n outputs over the cores (outside a
/// parallel region), each output still one dot product over k.
private func vectorTimesMatrix(transposeA: Bool, transposeB: Bool, n: Int, k: Int, alpha: Float,
                               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                               beta: Float, c: UnsafeMutablePointer<Float>, tasks: Int) {
    let incA = Int32(transposeA ? lda : 1)   // op(A) = A[0, :] or the column A[:, 0]
    let a0 = SendablePointer(UnsafeMutablePointer(mutating: a)), b0 = SendablePointer(UnsafeMutablePointer(mutating: b))
    let c0 = SendablePointer(c)
    let run = { (lo: Int, hi: Int) in
        // beta = 0 must overwrite whatever C holds (uninitialised memory may be NaN)
        if beta == 0 { (c0.p + lo).update(repeating: 0, count: hi - lo) }
        if transposeB {   // B stored [n, k]: c[j] = Σ_p B[j, p] · a[p]
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(hi - lo), Int32(k), alpha, b0.p + lo * ldb, Int32(ldb),
                        a0.p, incA, beta, c0.p + lo, 1)
        } else {          // B stored [k, n]: c[j] = Σ_p B[p, j] · a[p]
            cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(hi - lo), alpha, b0.p + lo, Int32(ldb),
                        a0.p, incA, beta, c0.p + lo, 1)
        }
    }
    if tasks > 1, n * k >= sgemmSplitMACs, n >= 64 * tasks, !ParallelRegion.isActive {
        let blocks = (n + 15) / 16
        parallelRanges(blocks) { r in run(r.lowerBound * 16, min(n, r.upperBound * 16)) }
    } else {
        run(0, n)
    }
}

@inline(__always)
private func blasCall(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                      _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Reference matrix product in plain loops (tests compare `sgemm` against it).
package func referenceMatMul(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n {
        var acc: Float = 0
        for p in 0..<k { acc += a[i * k + p] * b[p * n + j] }
        c[i * n + j] = acc
    } }
    return c
}
