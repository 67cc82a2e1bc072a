// Inverted-dropout kernels. The mask is drawn serially from one generator (one 64-bit draw per
// element, in row-major order), so a seed gives the same mask whatever the thread count; only
// the multiply runs in parallel.
//
// Legend: p the drop probability; mask[i] = 0 (dropped, probability p) or 1/(1 − p) (kept).

package enum DropoutKernel {
    /// Keep-or-drop for one draw: u = 24-bit uniform in [0, 1), dropped when u < p.
    @inline(__always)
    static func maskValue(_ generator: inout SeededGenerator, probability p: Float, keptScale: Float) -> Float {
        generator.nextUniform() < p ? 0 : keptScale
    }

    /// 1/(1 − p), or 0 when everything is dropped (p = 1, as `F.dropout` returns zeros).
    @inline(__always)
    static func keptScale(_ p: Float) -> Float { p < 1 ? 1 / (1 - p) : 0 }

    /// Plain loop: the mask and y = x·mask, element by element.
    package static func forwardReference(_ x: Tensor, probability p: Float,
                                         generator: inout SeededGenerator) -> (output: Tensor, mask: Tensor) {
        let y = Tensor(uninitialized: x.shape), mask = Tensor(uninitialized: x.shape)
        let scale = keptScale(p)
        for i in 0..<x.count {
            mask.storage.base[i] = maskValue(&generator, probability: p, keptScale: scale)
            y.storage.base[i] = x.storage.base[i] * mask.storage.base[i]
        }
        return (y, mask)
    }

    /// The mask (serial: the generator's order), then y = x·mask in parallel.
    package static func forward(_ x: Tensor, probability p: Float,
                                generator: inout SeededGenerator) -> (output: Tensor, mask: Tensor) {
        let mask = Tensor(uninitialized: x.shape)
        let scale = keptScale(p), m = mask.storage.base
        for i in 0..<x.count { m[i] = maskValue(&generator, probability: p, keptScale: scale) }
        return (multiply(x, mask), mask)
    }

    /// a·b elementwise, parallel (forward and backward: g·mask).
    package static func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
        let y = Tensor(uninitialized: a.shape)
        let ap = SendablePointer(a.storage.base), bp = SendablePointer(b.storage.base), yp = SendablePointer(y.storage.base)
        parallelRanges(a.count, minimumPerTask: 1 << 15) { r in for i in r { yp.p[i] = ap.p[i] * bp.p[i] } }
        return y
    }
}
