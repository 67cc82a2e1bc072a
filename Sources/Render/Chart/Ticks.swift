import Foundation

/// Tick positions and labels: "nice" 1-2-5 steps on linear axes, decades on log axes, SI suffixes.
public enum Ticks {
    /// The nice step (1, 2 or 5 × 10^k) closest to `span / target`.
    ///
    ///     Ticks.niceStep(span: 0.93, target: 5)   // 0.2
    public static func niceStep(span: Double, target: Int = 5) -> Double {
        precondition(span > 0 && span.isFinite, "Ticks.niceStep: span \(span) must be positive and finite")
        let raw = span / Double(max(1, target))
        let mag = pow(10, floor(log10(raw)))
        let f = raw / mag
        let nice: Double = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        return nice * mag
    }

    /// A padded, tick-aligned range and its ticks for data in `lo...hi`.
    /// A zero-width range is widened (±1, or ±10 % of the value) so it still has ticks.
    public static func linear(_ lo: Double, _ hi: Double, target: Int = 5, snap: Bool = true) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = lo, hi = hi
        if !lo.isFinite || !hi.isFinite { lo = 0; hi = 1 }
        if lo > hi { swap(&lo, &hi) }
        if hi - lo < 1e-12 * max(1, abs(lo)) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let step = niceStep(span: hi - lo, target: target)
        if snap { lo = floor(lo / step + 1e-9) * step; hi = ceil(hi / step - 1e-9) * step }
        var ticks: [Double] = []
        var t = ceil(lo / step - 1e-9) * step
        while t <= hi + step * 1e-9 {
            ticks.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return (lo, hi, ticks)
    }

    /// Decade ticks for a log axis (adds 2× and 5× when the data spans less than two decades).
    /// Non-positive bounds fall back to 1...10.
    public static func log(_ lo: Double, _ hi: Double) -> (lo: Double, hi: Double, ticks: [Double]) {
        var lo = lo, hi = hi
        if !(lo > 0) || !lo.isFinite || !(hi > 0) || !hi.isFinite { lo = 1; hi = 10 }
        if lo > hi { swap(&lo, &hi) }
        var a = floor(log10(lo) + 1e-9), b = ceil(log10(hi) - 1e-9)
        if a == b { a -= 0; b += 1 }
        var ticks: [Double] = []
        for k in Int(a)...Int(b) {
            let d = pow(10, Double(k))
            ticks.append(d)
            if b - a <= 2, k < Int(b) { ticks.append(2 * d); ticks.append(5 * d) }
        }
        return (pow(10, a), pow(10, b), ticks)
    }

    /// A compact label: SI suffix for |v| ≥ 10⁴ (K, M, G, T), otherwise as few decimals as `step` needs.
    ///
    ///     Ticks.label(25_000, step: 5_000)     // "25K"
    ///     Ticks.label(0.25, step: 0.05)        // "0.25"
    public static func label(_ v: Double, step: Double? = nil) -> String {
        if v == 0 { return "0" }
        let a = abs(v)
        for (p, s) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")] where a >= 1e4 && a >= p {
            return trimmed(v / p, decimals: step.map { max(0, decimals(for: $0 / p)) } ?? max(0, 2 - Int(floor(log10(a / p))))) + s
        }
        if a < 1e-4 { return String(format: "%.0e", v) }
        let d = step.map { decimals(for: $0) } ?? min(6, max(0, 3 - Int(floor(log10(a)))))
        return trimmed(v, decimals: d)
    }

    /// Pango markup for a log-axis tick: plain for 0.001...10⁴ (SI above), `10<sup>k</sup>` otherwise.
    public static func logLabel(_ v: Double) -> String {
        let k = log10(v)
        if abs(k - k.rounded()) < 1e-9, k < -3 || k > 9 {
            return "10<sup>\(Int(k.rounded()))</sup>".replacingOccurrences(of: "-", with: "−")
        }
        return Markup.escape(label(v))
    }

    static func decimals(for step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        return max(0, Int(ceil(-log10(step) - 1e-9)))
    }

    static func trimmed(_ v: Double, decimals: Int) -> String {
        var s = String(format: "%.\(min(decimals, 8))f", v)
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        if s == "-0" { s = "0" }
        return s.replacingOccurrences(of: "-", with: "−")
    }
}
