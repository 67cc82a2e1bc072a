import Foundation

// Local response normalisation kernels, forward and backward, in two versions: a plain reference
// (direct window sums, `pow`) that the tests trust, and a fast one (sliding window over channels,
// vectorised over a chunk of the spatial plane, parallel over images × chunks).
//
// Legend: n images, c channels, plane = h·w; a = input, s = scale, b = output, g = gradient of b.
// Both conventions reduce to one form (see `LRNParameters`):
//     s[i] = k + α' · Σ_{j = i − before … i + after, 0 ≤ j < c} a[j]²,     b[i] = a[i] · s[i]^(−β)
// and its derivative
//     ∂L/∂a[m] = g[m]·s[m]^(−β) − 2α'β · a[m] · Σ_{i = m − after … m + before} g[i]·a[i]·s[i]^(−β−1).

/// An LRN's window and scale in convention-free form (what the kernels consume).
package struct LRNParameters: Sendable, Equatable {
    /// Channels summed below and above channel i.
    package var before: Int, after: Int
    /// α' (α for Krizhevsky's form, α/size for PyTorch's), β, k.
    package var alpha: Float, beta: Float, k: Float

    package init(size: Int, alpha: Float, beta: Float, k: Float, convention: LRNConvention) {
        switch convention {
        case .krizhevsky: before = size / 2; after = size / 2; self.alpha = alpha
        case .pytorch: before = size / 2; after = (size - 1) / 2; self.alpha = alpha / Float(size)
        }
        self.beta = beta; self.k = k
    }
}

package enum LRNKernel {
    // MARK: Reference

    /// Plain loops: b and s for every element (s is what backward needs).
    package static func forwardReference(_ x: Tensor, _ p: LRNParameters) -> (output: Tensor, scale: Tensor) {
        let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let y = Tensor(uninitialized: x.shape), s = Tensor(uninitialized: x.shape)
        let a = x.storage.base, b = y.storage.base, sp = s.storage.base
        for img in 0..<n { for i in 0..<c { for q in 0..<plane {
            var sum: Float = 0
            for j in max(0, i - p.before)...min(c - 1, i + p.after) {
                let v = a[(img * c + j) * plane + q]
                sum += v * v
            }
            let o = (img * c + i) * plane + q
            sp[o] = p.k + p.alpha * sum
            b[o] = a[o] * Foundation.pow(sp[o], -p.beta)
        } } }
        return (y, s)
    }

    /// Plain loops for ∂L/∂a from g, a and the saved scale.
    package static func backwardReference(gradOutput: Tensor, input x: Tensor, scale: Tensor, _ p: LRNParameters) -> Tensor {
        let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let dx = Tensor(uninitialized: x.shape)
        let a = x.storage.base, g = gradOutput.storage.base, s = scale.storage.base, d = dx.storage.base
        for img in 0..<n { for m in 0..<c { for q in 0..<plane {
            let om = (img * c + m) * plane + q
            var cross: Float = 0   // Σ_i g[i]·a[i]·s[i]^(−β−1) over the channels i whose window holds m
            for i in max(0, m - p.after)...min(c - 1, m + p.before) {
                let oi = (img * c + i) * plane + q
                cross += g[oi] * a[oi] * Foundation.pow(s[oi], -p.beta - 1)
            }
            d[om] = g[om] * Foundation.pow(s[om], -p.beta) - 2 * p.alpha * p.beta * a[om] * cross
        } } }
        return dx
    }

    // MARK: Fast

    /// Spatial elements per task: the window's rows of this many floats stay in L1.
    @inline(__always)
    static func chunkLength(window: Int, plane: Int) -> Int { min(plane, max(64, 12_288 / (window + 3))) }

    /// b (and s when `keepScale`): sliding sum of squares over channels, one chunk of the plane at a time.
    package static func forward(_ x: Tensor, _ p: LRNParameters, keepScale: Bool) -> (output: Tensor, scale: Tensor?) {
        let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let y = Tensor(uninitialized: x.shape)
        let s = keepScale ? Tensor(uninitialized: x.shape) : nil
        let chunk = chunkLength(window: 1, plane: plane), chunks = (plane + chunk - 1) / chunk
        let ap = SendablePointer(x.storage.base), bp = SendablePointer(y.storage.base)
        let sp = s.map { SendablePointer($0.storage.base) }
        parallelRanges(n * chunks) { tasks in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * chunk) { tmp in
                let sum = tmp.baseAddress!, scale = sum + chunk, power = scale + chunk
                for t in tasks {
                    let img = t / chunks, q0 = (t % chunks) * chunk, len = min(chunk, plane - q0)
                    let a = UnsafePointer(ap.p) + img * c * plane + q0   // seek: a[img, 0, q0]
                    let b = bp.p + img * c * plane + q0
                    let sOut = sp.map { $0.p + img * c * plane + q0 }
                    sum.update(repeating: 0, count: len)
                    for j in 0..<min(p.after + 1, c) { addSquares(a + j * plane, into: sum, len) }
                    for i in 0..<c {
                        let si = sOut.map { $0 + i * plane } ?? scale
                        for q in 0..<len { si[q] = p.k + p.alpha * max(sum[q], 0) }   // drift of the running sum stays ≥ 0
                        negativePower(si, p.beta, into: power, len)
                        let ai = a + i * plane, bi = b + i * plane
                        for q in 0..<len { bi[q] = ai[q] * power[q] }
                        // slide to channel i + 1: window [i + 1 − before, i + 1 + after]
                        if i + 1 + p.after < c { addSquares(a + (i + 1 + p.after) * plane, into: sum, len) }
                        if i - p.before >= 0 { subtractSquares(a + (i - p.before) * plane, from: sum, len) }
                    }
                }
            }
        }
        return (y, s)
    }

    /// ∂L/∂a with the window sum of t[i] = g[i]·a[i]·s[i]^(−β−1) slid over channels; t's live rows
    /// sit in a ring of `before + after + 1` rows.
    package static func backward(gradOutput: Tensor, input x: Tensor, scale: Tensor, _ p: LRNParameters) -> Tensor {
        let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let dx = Tensor(uninitialized: x.shape)
        let ring = p.before + p.after + 1
        let chunk = chunkLength(window: ring, plane: plane), chunks = (plane + chunk - 1) / chunk
        let ap = SendablePointer(x.storage.base), gp = SendablePointer(gradOutput.storage.base)
        let sp = SendablePointer(scale.storage.base), dp = SendablePointer(dx.storage.base)
        let twoAlphaBeta = 2 * p.alpha * p.beta
        parallelRanges(n * chunks) { tasks in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: (ring + 2) * chunk) { tmp in
                let window = tmp.baseAddress!, power = window + chunk, rows = power + chunk
                for task in tasks {
                    let img = task / chunks, q0 = (task % chunks) * chunk, len = min(chunk, plane - q0)
                    let base = img * c * plane + q0   // seek: [img, 0, q0]
                    let a = UnsafePointer(ap.p) + base, g = UnsafePointer(gp.p) + base
                    let s = UnsafePointer(sp.p) + base, d = dp.p + base
                    // Row i of t into its ring slot; d[i] starts as g[i]·s[i]^(−β) (the diagonal term).
                    func fill(_ i: Int) {
                        let o = i * plane, t = rows + (i % ring) * chunk
                        negativePower(s + o, p.beta, into: power, len)
                        for q in 0..<len {
                            d[o + q] = g[o + q] * power[q]
                            t[q] = d[o + q] * a[o + q] / s[o + q]
                        }
                    }
                    window.update(repeating: 0, count: len)
                    for i in 0..<min(p.before + 1, c) {
                        fill(i)
                        let t = rows + (i % ring) * chunk
                        for q in 0..<len { window[q] += t[q] }
                    }
                    for m in 0..<c {
                        let o = m * plane
                        for q in 0..<len { d[o + q] -= twoAlphaBeta * a[o + q] * window[q] }
                        // slide to m + 1: window [m + 1 − after, m + 1 + before]; the row leaving
                        // and the row entering share a ring slot, so subtract first.
                        if m - p.after >= 0 {
                            let t = rows + ((m - p.after) % ring) * chunk
                            for q in 0..<len { window[q] -= t[q] }
                        }
                        if m + 1 + p.before < c {
                            fill(m + 1 + p.before)
                            let t = rows + ((m + 1 + p.before) % ring) * chunk
                            for q in 0..<len { window[q] += t[q] }
                        }
                    }
                }
            }
        }
        return dx
    }

    @inline(__always)
    static func addSquares(_ a: UnsafePointer<Float>, into sum: UnsafeMutablePointer<Float>, _ len: Int) {
        for q in 0..<len { sum[q] += a[q] * a[q] }
    }

    @inline(__always)
    static func subtractSquares(_ a: UnsafePointer<Float>, from sum: UnsafeMutablePointer<Float>, _ len: Int) {
        for q in 0..<len { sum[q] -= a[q] * a[q] }
    }

    /// out[q] = s[q]^(−β). The common exponents get loops the compiler vectorises (sqrt and
    /// division are vector instructions; `pow` is a scalar libm call): AlexNet's β = 0.75 is
    /// x^(−3/4) = 1/√(x·√x).
    @inline(__always)
    static func negativePower(_ s: UnsafePointer<Float>, _ beta: Float, into out: UnsafeMutablePointer<Float>, _ len: Int) {
        switch beta {
        case 0.75: for q in 0..<len { out[q] = 1 / (s[q] * s[q].squareRoot()).squareRoot() }
        case 0.5: for q in 0..<len { out[q] = 1 / s[q].squareRoot() }
        case 1: for q in 0..<len { out[q] = 1 / s[q] }
        case 0: for q in 0..<len { out[q] = 1 }
        default: for q in 0..<len { out[q] = Foundation.exp(-beta * Foundation.log(s[q])) }
        }
    }
}
