// Activation kernels that the C library would run one element at a time.
//
// tanh. glibc's tanhf is a scalar call per element (through expm1f); in LeNet-5's classic
// variant it took a quarter of a training step. `tanhApproximation` is branch-free so the loop
// over a tensor vectorises:
//   |x| < 0.4:  the odd Taylor series x − x³/3 + 2x⁵/15 − 17x⁷/315 + … up to x¹⁵ (the first
//               omitted term, 6404582/10854718875·x¹⁷, is below 2·10⁻¹⁰ there: exact in Float);
//   |x| ≥ 0.4:  1 − 2/(e^{2|x|} + 1) (cancellation loses at most ~1.4 bits at 0.4), with |x|
//               clamped to 10, where 1 − 2/(e²⁰ + 1) rounds to exactly 1 in Float;
//   the sign of x is put back last. NaN propagates (min keeps a NaN operand first).
// e^y for y in [0.8, 20] is 2^k · e^r with k = round(y / ln 2), |r| ≤ ln2/2 and a degree-7
// Taylor polynomial for e^r (relative error < 6·10⁻⁹ before rounding); 2^k is built from its bits.
// Tested against Foundation.tanh (the reference) to 4 ulps over the whole Float range that matters.

/// e^y for 0 ≤ y ≤ 88, branch-free (see the notes above).
@inline(__always)
func expApproximation(_ y: Float) -> Float {
    let magic: Float = 12_582_912               // 1.5·2²³: adding it rounds to an integer in the low bits
    let t = y * 1.442_695_04 + magic            // k = round(y / ln 2), held in t's mantissa
    let k = t - magic
    let r = (y - k * 0.693_145_752) - k * 1.428_606_8e-6   // y − k·ln 2 in two parts (Cody–Waite)
    var p: Float = 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let exponent = Int32(bitPattern: t.bitPattern) &- 0x4B40_0000   // = k
    return p * Float(bitPattern: UInt32(bitPattern: (exponent &+ 127) &<< 23))
}

/// tanh(x) to within 4 ulps of Foundation.tanh, without branches (so loops vectorise).
@inline(__always)
package func tanhApproximation(_ x: Float) -> Float {
    let a = min(x.magnitude, 10)
    let s = a * a
    var series: Float = -929_569.0 / 638_512_875
    series = series * s + 21_844.0 / 6_081_075
    series = series * s - 1_382.0 / 155_925
    series = series * s + 62.0 / 2_835
    series = series * s - 17.0 / 315
    series = series * s + 2.0 / 15
    series = series * s - 1.0 / 3
    let small = a + a * s * series
    let large = 1 - 2 / (expApproximation(2 * a) + 1)
    let t = a < 0.4 ? small : large
    return Float(bitPattern: t.bitPattern | (x.bitPattern & 0x8000_0000))   // copy x's sign (also −0)
}

/// y[i] = tanh(x[i]) for i in `range`.
@inline(__always)
package func tanhKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
    for i in range { y[i] = tanhApproximation(x[i]) }
}
