import CNN
import Foundation
import Testing

/// The vectorised tanh against the C library's tanhf (the reference kernel).
@Suite struct TanhKernelTests {
    /// Distance in units in the last place between two finite floats of the same sign.
    func ulps(_ a: Float, _ b: Float) -> Int {
        if a == b { return 0 }
        func ordered(_ x: Float) -> Int64 {
            let bits = Int64(x.bitPattern)
            return x.sign == .minus ? -(bits & 0x7FFF_FFFF) : bits
        }
        return Int(abs(ordered(a) - ordered(b)))
    }

    @Test func matchesLibmOverTheRange() {
        var worst = 0, worstAt: Float = 0
        // every 2^-12 step over [-12, 12] (covers both branches, the 0.4 switch and saturation)
        for i in -49_152...49_152 {
            let x = Float(i) / 4096
            let d = ulps(tanhApproximation(x), Foundation.tanh(x))
            if d > worst { worst = d; worstAt = x }
        }
        // small magnitudes down to the subnormals, where tanh x = x
        for e in -149...(-2) {
            let x = Float(sign: .plus, exponent: e, significand: 1.3)
            for v in [x, -x, x.nextUp, -x.nextDown] {
                let d = ulps(tanhApproximation(v), Foundation.tanh(v))
                if d > worst { worst = d; worstAt = v }
            }
        }
        #expect(worst <= 4, "worst error \(worst) ulps at x = \(worstAt)")
    }

    @Test func specialValues() {
        #expect(tanhApproximation(0) == 0)
        #expect(tanhApproximation(-0.0).sign == .minus)
        #expect(tanhApproximation(.infinity) == 1)
        #expect(tanhApproximation(-.infinity) == -1)
        #expect(tanhApproximation(1e30) == 1)
        #expect(tanhApproximation(.nan).isNaN)
        #expect(tanhApproximation(0.4) == Foundation.tanh(Float(0.4)) || ulps(tanhApproximation(0.4), Foundation.tanh(Float(0.4))) <= 4)
    }

    @Test func tensorOpUsesIt() {
        let x = Tensor(shape: [3, 5], values: (0..<15).map { Float($0 - 7) * 0.37 })
        let y = x.tanh()
        for (a, b) in zip(y.scalars, x.scalars) {
            #expect(abs(a - Foundation.tanh(b)) <= 4 * Foundation.tanh(b).magnitude.ulp + Float.leastNormalMagnitude)
        }
    }
}
