import CBLAS

// Row-major single-precision GEMM: C[m, n] = alpha * op(A)[m, k] · op(B)[k, n] + beta * C[m, n].
// Every dense product of the engine (linear layers, im2col convolutions, 1x1 convolutions)
// goes through this one call to OpenBLAS.
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
    cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
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
