// Batch normalisation kernels: per-channel statistics, the per-plane affine map, and the
// backward sums, each as a plain reference (Double loops) and a fast version (Float SIMD sums
// per plane accumulated in Double, parallel over channels; elementwise passes parallel over
// the N·C planes).
//
// Legend: n images, c channels, plane = h·w (1 for [N, C] input), m = n·plane values per
// channel; x̂ = (x − μ)·σ⁻¹ with σ⁻¹ = 1/√(var + ε); γ, β the affine weight and bias.

package enum BatchNormKernel {
    /// (n, c, plane) of an [N, C, H, W] or [N, C] tensor.
    @inline(__always)
    package static func dimensions(_ x: Tensor) -> (n: Int, c: Int, plane: Int) {
        (x.shape[0], x.shape[1], x.rank == 4 ? x.shape[2] * x.shape[3] : 1)
    }

    // MARK: Reference

    /// Per-channel mean and biased variance (two passes in Double).
    package static func statisticsReference(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let (n, c, plane) = dimensions(x)
        let a = x.storage.base, m = Double(n * plane)
        var mean = [Float](repeating: 0, count: c), variance = mean
        for ch in 0..<c {
            var s = 0.0
            for img in 0..<n { for q in 0..<plane { s += Double(a[(img * c + ch) * plane + q]) } }
            let mu = s / m
            var v = 0.0
            for img in 0..<n { for q in 0..<plane { let d = Double(a[(img * c + ch) * plane + q]) - mu; v += d * d } }
            mean[ch] = Float(mu); variance[ch] = Float(v / m)
        }
        return (mean, variance)
    }

    /// y = γ·(x − μ)·σ⁻¹ + β, element by element.
    package static func normalizeReference(_ x: Tensor, mean: [Float], invStd: [Float], weight: [Float]?, bias: [Float]?) -> Tensor {
        let (n, c, plane) = dimensions(x)
        let y = Tensor(uninitialized: x.shape)
        for img in 0..<n { for ch in 0..<c { for q in 0..<plane {
            let o = (img * c + ch) * plane + q
            let xhat = (x.storage.base[o] - mean[ch]) * invStd[ch]
            y.storage.base[o] = (weight?[ch] ?? 1) * xhat + (bias?[ch] ?? 0)
        } } }
        return y
    }

    /// Gradients of y = γ·x̂ + β. With batch statistics (`training`), μ and σ depend on x:
    /// dx = γσ⁻¹/m · (m·g − Σg − x̂·Σ(g·x̂)); with fixed statistics dx = γσ⁻¹·g.
    package static func backwardReference(gradOutput: Tensor, input x: Tensor, mean: [Float], invStd: [Float],
                                          weight: [Float]?, training: Bool) -> (dx: Tensor, dWeight: [Float], dBias: [Float]) {
        let (n, c, plane) = dimensions(x)
        let m = Double(n * plane)
        let dx = Tensor(uninitialized: x.shape)
        var dWeight = [Float](repeating: 0, count: c), dBias = dWeight
        for ch in 0..<c {
            var sg = 0.0, sgx = 0.0
            for img in 0..<n { for q in 0..<plane {
                let o = (img * c + ch) * plane + q
                let g = Double(gradOutput.storage.base[o])
                sg += g; sgx += g * (Double(x.storage.base[o]) - Double(mean[ch])) * Double(invStd[ch])
            } }
            dBias[ch] = Float(sg); dWeight[ch] = Float(sgx)
            let gamma = Double(weight?[ch] ?? 1), inv = Double(invStd[ch])
            for img in 0..<n { for q in 0..<plane {
                let o = (img * c + ch) * plane + q
                let g = Double(gradOutput.storage.base[o])
                let xhat = (Double(x.storage.base[o]) - Double(mean[ch])) * inv
                dx.storage.base[o] = Float(training ? gamma * inv / m * (m * g - sg - xhat * sgx) : gamma * inv * g)
            } }
        }
        return (dx, dWeight, dBias)
    }

    // MARK: Fast

    /// Per-channel mean and biased variance, parallel over channels.
    package static func statistics(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
        let (n, c, plane) = dimensions(x)
        var mean = [Float](repeating: 0, count: c), variance = mean
        let a = SendablePointer(x.storage.base), m = Double(n * plane)
        mean.withUnsafeMutableBufferPointer { mp in variance.withUnsafeMutableBufferPointer { vp in
            let mo = SendablePointer(mp.baseAddress!), vo = SendablePointer(vp.baseAddress!)
            parallelRanges(c, minimumPerTask: max(1, 32_768 / max(n * plane, 1))) { channels in
                for ch in channels {
                    var s = 0.0
                    for img in 0..<n { s += planeSum(a.p + (img * c + ch) * plane, plane) }
                    let mu = s / m
                    var v = 0.0
                    for img in 0..<n { v += planeSquaredDeviation(a.p + (img * c + ch) * plane, plane, from: Float(mu)) }
                    mo.p[ch] = Float(mu); vo.p[ch] = Float(v / m)
                }
            }
        } }
        return (mean, variance)
    }

    /// y[img, ch] = x[img, ch]·scale[ch] + shift[ch] (then max(·, 0) with `relu`), parallel over the N·C planes.
    package static func scaleShift(_ x: Tensor, scale: [Float], shift: [Float], relu: Bool = false) -> Tensor {
        let (n, c, plane) = dimensions(x)
        let y = Tensor(uninitialized: x.shape)
        let a = SendablePointer(x.storage.base), b = SendablePointer(y.storage.base)
        scale.withUnsafeBufferPointer { sc in shift.withUnsafeBufferPointer { sh in
            let scp = SendablePointer(UnsafeMutablePointer(mutating: sc.baseAddress!))
            let shp = SendablePointer(UnsafeMutablePointer(mutating: sh.baseAddress!))
            parallelRanges(n * c, minimumPerTask: max(1, 16_384 / plane)) { planes in
                for pl in planes {
                    let ch = pl % c, s = scp.p[ch], t = shp.p[ch]
                    let src = a.p + pl * plane, dst = b.p + pl * plane   // seek: plane (img, ch)
                    if relu { for q in 0..<plane { dst[q] = max(src[q] * s + t, 0) } }
                    else { for q in 0..<plane { dst[q] = src[q] * s + t } }
                }
            }
        } }
        return y
    }

    /// y = γ·(x − μ)·σ⁻¹ + β as one multiply-add per element (then max(y, 0) with `relu`, in the same pass).
    package static func normalize(_ x: Tensor, mean: [Float], invStd: [Float], weight: [Float]?, bias: [Float]?,
                                  relu: Bool = false) -> Tensor {
        let c = mean.count
        let scale = (0..<c).map { (weight?[$0] ?? 1) * invStd[$0] }
        let shift = (0..<c).map { (bias?[$0] ?? 0) - mean[$0] * scale[$0] }
        return scaleShift(x, scale: scale, shift: shift, relu: relu)
    }

    /// The same gradients as `backwardReference`: per-channel Σg and Σg·x̂ in parallel over
    /// channels, then dx = g·A + x·B + C per plane, the training formula expanded in x.
    ///
    /// With `reluOutput` (batch norm followed by ReLU as one op), g is first masked by the ReLU:
    /// g·[y > 0], read on the fly, the same values ReLU's own backward would pass on.
    package static func backward(gradOutput: Tensor, input x: Tensor, mean: [Float], invStd: [Float],
                                 weight: [Float]?, training: Bool, reluOutput: Tensor? = nil) -> (dx: Tensor, dWeight: [Float], dBias: [Float]) {
        let (n, c, plane) = dimensions(x)
        var sumG = [Float](repeating: 0, count: c), sumGX = sumG   // Σg, Σg·x̂
        let a = SendablePointer(x.storage.base), g = SendablePointer(gradOutput.storage.base)
        let mask = reluOutput.map { SendablePointer($0.storage.base) }
        sumG.withUnsafeMutableBufferPointer { sgp in sumGX.withUnsafeMutableBufferPointer { sgxp in
            let so = SendablePointer(sgp.baseAddress!), sxo = SendablePointer(sgxp.baseAddress!)
            parallelRanges(c, minimumPerTask: max(1, 32_768 / max(n * plane, 1))) { channels in
                for ch in channels {
                    var sg = 0.0, sgx = 0.0   // Σ g·(x − μ), then × σ⁻¹
                    for img in 0..<n {
                        let o = (img * c + ch) * plane
                        if let mask {
                            sg += planeSum(g.p + o, plane, where: mask.p + o)
                            sgx += planeDot(g.p + o, a.p + o, plane, shift: mean[ch], where: mask.p + o)
                        } else {
                            sg += planeSum(g.p + o, plane)
                            sgx += planeDot(g.p + o, a.p + o, plane, shift: mean[ch])
                        }
                    }
                    so.p[ch] = Float(sg); sxo.p[ch] = Float(sgx * Double(invStd[ch]))
                }
            }
        } }
        let m = Float(n * plane)
        var scale = [Float](repeating: 0, count: c), gradScale = scale, shift = scale
        for ch in 0..<c {
            let gi = (weight?[ch] ?? 1) * invStd[ch]   // γσ⁻¹
            gradScale[ch] = gi
            if training {
                // dx = γσ⁻¹·g − γσ⁻¹·Σg/m − γσ⁻²·(x − μ)·Σ(g·x̂)/m
                scale[ch] = -gi * invStd[ch] * sumGX[ch] / m
                shift[ch] = -gi * sumG[ch] / m + gi * invStd[ch] * mean[ch] * sumGX[ch] / m
            }
        }
        let dx = Tensor(uninitialized: x.shape)
        let d = SendablePointer(dx.storage.base)
        parallelRanges(n * c, minimumPerTask: max(1, 16_384 / plane)) { planes in
            for pl in planes {
                let ch = pl % c, ga = gradScale[ch], xb = scale[ch], cc = shift[ch]
                let gs = g.p + pl * plane, xs = a.p + pl * plane, ds = d.p + pl * plane
                if let mask {
                    let ys = mask.p + pl * plane
                    for q in 0..<plane { ds[q] = (ys[q] > 0 ? gs[q] : 0) * ga + xs[q] * xb + cc }
                } else {
                    for q in 0..<plane { ds[q] = gs[q] * ga + xs[q] * xb + cc }
                }
            }
        }
        return (dx, sumGX, sumG)
    }

    // MARK: Plane reductions (eight Float lanes per plane, the plane's total in Double)

    @inline(__always)
    static func planeSum(_ p: UnsafePointer<Float>, _ count: Int) -> Double {
        var acc = SIMD8<Float>(), q = 0
        while q + 8 <= count { acc += UnsafeRawPointer(p + q).loadUnaligned(as: SIMD8<Float>.self); q += 8 }
        var s = Double(acc.sum())
        while q < count { s += Double(p[q]); q += 1 }
        return s
    }

    @inline(__always)
    static func planeSquaredDeviation(_ p: UnsafePointer<Float>, _ count: Int, from mu: Float) -> Double {
        var acc = SIMD8<Float>(), q = 0
        let m = SIMD8<Float>(repeating: mu)
        while q + 8 <= count {
            let d = UnsafeRawPointer(p + q).loadUnaligned(as: SIMD8<Float>.self) - m
            acc.addProduct(d, d); q += 8
        }
        var s = Double(acc.sum())
        while q < count { let d = Double(p[q] - mu); s += d * d; q += 1 }
        return s
    }

    /// Σ g·[y > 0] (the gradient ReLU passes on), summed exactly as `planeSum` sums it.
    @inline(__always)
    static func planeSum(_ p: UnsafePointer<Float>, _ count: Int, where y: UnsafePointer<Float>) -> Double {
        var acc = SIMD8<Float>(), q = 0
        while q + 8 <= count {
            let gv = UnsafeRawPointer(p + q).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + q).loadUnaligned(as: SIMD8<Float>.self)
            acc += gv.replacing(with: 0, where: .!(yv .> 0)); q += 8
        }
        var s = Double(acc.sum())
        while q < count { s += Double(y[q] > 0 ? p[q] : 0); q += 1 }
        return s
    }

    /// Σ g·[y > 0]·(x − shift), as `planeDot` sums it.
    @inline(__always)
    static func planeDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, shift: Float,
                         where y: UnsafePointer<Float>) -> Double {
        var acc = SIMD8<Float>(), q = 0
        let m = SIMD8<Float>(repeating: shift)
        while q + 8 <= count {
            let gv = UnsafeRawPointer(g + q).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + q).loadUnaligned(as: SIMD8<Float>.self)
            let xv = UnsafeRawPointer(x + q).loadUnaligned(as: SIMD8<Float>.self)
            acc.addProduct(gv.replacing(with: 0, where: .!(yv .> 0)), xv - m); q += 8
        }
        var s = Double(acc.sum())
        while q < count { s += Double(y[q] > 0 ? g[q] : 0) * Double(x[q] - shift); q += 1 }
        return s
    }

    /// Σ g·(x − shift).
    @inline(__always)
    static func planeDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int, shift: Float) -> Double {
        var acc = SIMD8<Float>(), q = 0
        let m = SIMD8<Float>(repeating: shift)
        while q + 8 <= count {
            let gv = UnsafeRawPointer(g + q).loadUnaligned(as: SIMD8<Float>.self)
            let xv = UnsafeRawPointer(x + q).loadUnaligned(as: SIMD8<Float>.self)
            acc.addProduct(gv, xv - m); q += 8
        }
        var s = Double(acc.sum())
        while q < count { s += Double(g[q]) * Double(x[q] - shift); q += 1 }
        return s
    }
}

extension SIMD8<Float> {
    @inline(__always)
    fileprivate mutating func addProduct(_ a: SIMD8<Float>, _ b: SIMD8<Float>) { self = self.addingProduct(a, b) }
}
