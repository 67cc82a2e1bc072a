/// Fully connected op: y = x · Wᵀ + b, with W in PyTorch's [out, in] layout.
///
/// - Shape: x [N, in], weight [out, in], bias [out] → [N, out]
/// - Complexity: N·in·out multiply-adds (one GEMM); backward two GEMMs.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(x.rank == 2, "linear: input must be [N, features], got \(x.shape)")
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape)")
    let (n, inF, outF) = (x.shape[0], x.shape[1], weight.shape[0])
    precondition(weight.shape[1] == inF, "linear: input has \(inF) features, weight expects \(weight.shape[1])")
    if let bias { precondition(bias.shape == [outF], "linear: bias shape \(bias.shape), expected [\(outF)]") }
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    if x.isMeta || weight.isMeta {
        return Tensor(meta: [n, outF]).traced("linear", inputs, macs: n * inF * outF, saved: 0)
    }
    let y = Tensor(uninitialized: [n, outF])
    if let bias {   // y[i, :] = b, then y += x · Wᵀ
        for i in 0..<n { (y.storage.base + i * outF).update(from: bias.storage.base, count: outF) }
    }
    sgemm(transposeB: true, m: n, n: outF, k: inF, a: x.storage.base, lda: inF, b: weight.storage.base, ldb: inF,
          beta: bias == nil ? 0 : 1, c: y.storage.base, ldc: outF)
    return y.traced("linear", inputs, macs: n * inF * outF, saved: 0)
        .recording("linear", inputs) { g, needs in
            var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
            if needs[0] {   // dx = g · W      [N, out]·[out, in]
                dx = Tensor(uninitialized: [n, inF])
                sgemm(m: n, n: inF, k: outF, a: g.storage.base, lda: outF, b: weight.storage.base, ldb: inF,
                      c: dx!.storage.base, ldc: inF)
            }
            if needs[1] {   // dW = gᵀ · x     [out, N]·[N, in]
                dw = Tensor(uninitialized: [outF, inF])
                sgemm(transposeA: true, m: outF, n: inF, k: n, a: g.storage.base, lda: outF, b: x.storage.base, ldb: inF,
                      c: dw!.storage.base, ldc: inF)
            }
            if bias != nil && needs[2] {   // db = Σ_rows g
                db = Tensor(zeros: [outF])
                for i in 0..<n { for j in 0..<outF { db!.storage.base[j] += g.storage.base[i * outF + j] } }
            }
            return bias == nil ? [dx, dw] : [dx, dw, db]
        }
}

/// Matrix product of two rank-2 tensors: [m, k] · [k, n] → [m, n].
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: expects rank-2 tensors, got \(a.shape) and \(b.shape)")
    precondition(a.shape[1] == b.shape[0], "matmul: inner dimensions differ: \(a.shape) · \(b.shape)")
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    if a.isMeta || b.isMeta { return Tensor(meta: [m, n]).traced("matmul", [a, b], macs: m * n * k) }
    let c = Tensor(uninitialized: [m, n])
    sgemm(m: m, n: n, k: k, a: a.storage.base, lda: k, b: b.storage.base, ldb: n, c: c.storage.base, ldc: n)
    return c.traced("matmul", [a, b], macs: m * n * k).recording("matmul", [a, b]) { g, needs in
        var da: Tensor? = nil, db: Tensor? = nil
        if needs[0] {   // dA = g · Bᵀ
            da = Tensor(uninitialized: [m, k])
            sgemm(transposeB: true, m: m, n: k, k: n, a: g.storage.base, lda: n, b: b.storage.base, ldb: n, c: da!.storage.base, ldc: k)
        }
        if needs[1] {   // dB = Aᵀ · g
            db = Tensor(uninitialized: [k, n])
            sgemm(transposeA: true, m: k, n: n, k: m, a: a.storage.base, lda: k, b: g.storage.base, ldb: n, c: db!.storage.base, ldc: n)
        }
        return [da, db]
    }
}
