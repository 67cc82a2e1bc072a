// Shared test helpers. For the test targets only: nothing in Sources may import this module.
import CNN

/// |a - b| <= atol + rtol·|b|, elementwise. Float32 forward passes agree with a reference to
/// about 1e-5 relative; the default tolerances leave room for summation order.
public func isApproximatelyEqual(_ a: [Float], _ b: [Float], rtol: Float = 1e-4, atol: Float = 1e-5) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { abs($0 - $1) <= atol + rtol * abs($1) }
}

/// The largest |a - b| / (atol + rtol·|b|) — a value <= 1 means "within tolerance" (for messages).
public func worstMismatch(_ a: [Float], _ b: [Float], rtol: Float = 1e-4, atol: Float = 1e-5) -> (index: Int, a: Float, b: Float)? {
    guard a.count == b.count else { return (-1, Float(a.count), Float(b.count)) }
    var worst: (Int, Float, Float)? = nil
    var worstRatio: Float = 1
    for (i, (x, y)) in zip(a, b).enumerated() {
        let r = abs(x - y) / (atol + rtol * abs(y))
        if r > worstRatio || r.isNaN { worstRatio = r; worst = (i, x, y) }
    }
    return worst
}

/// Result of a finite-difference gradient check.
public struct GradientCheckResult: CustomStringConvertible {
    public var maxError: Double = 0
    public var worst: String = "all within tolerance"
    public var passed: Bool
    public var description: String { "max scaled error \(maxError): \(worst)" }
}

/// Compares autograd's gradients of L = Σ f(inputs) ⊙ R (R a fixed random projection) with
/// central differences (L(x+h) - L(x-h)) / 2h, accumulated in Double, for every element of
/// every input with `requiresGrad`. Float32 arithmetic limits the agreement; `tolerance` is
/// on |analytic - numeric| / max(1, |numeric|)... scaled by the magnitude of the gradients.
public func checkGradient(inputs: [Tensor], step: Float = 1e-2, tolerance: Double = 2e-2,
                          seed: UInt64 = 7, _ f: ([Tensor]) -> Tensor) -> GradientCheckResult {
    for t in inputs { t.grad = nil }
    let probe = f(inputs)
    let r = Tensor.randomNormal(probe.shape, seed: seed)
    let loss = (probe * r).sum()
    loss.backward()
    let analytic = inputs.map { $0.grad?.scalars }

    func lossValue() -> Double {
        withNoGrad {
            let y = f(inputs)
            var acc: Double = 0
            for i in 0..<y.count { acc += Double(y.storage.base[i]) * Double(r.storage.base[i]) }
            return acc
        }
    }

    var result = GradientCheckResult(passed: true)
    for (k, t) in inputs.enumerated() where t.requiresGrad {
        guard let a = analytic[k] else {
            return GradientCheckResult(maxError: .infinity, worst: "input \(k) got no gradient", passed: false)
        }
        let scale = max(1, a.map { Double(abs($0)) }.max() ?? 1)
        for i in 0..<t.count {
            let x0 = t.storage.base[i]
            t.storage.base[i] = x0 + step
            let up = lossValue()
            t.storage.base[i] = x0 - step
            let down = lossValue()
            t.storage.base[i] = x0
            let numeric = (up - down) / (2 * Double(step))
            let err = abs(numeric - Double(a[i])) / scale
            if err > result.maxError {
                result.maxError = err
                result.worst = "input \(k) element \(i): analytic \(a[i]), numeric \(numeric)"
            }
        }
    }
    result.passed = result.maxError <= tolerance
    return result
}

/// A leaf tensor with values from a seeded normal, ready for gradient checks.
public func leaf(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    let t = Tensor.randomNormal(shape, std: scale, seed: seed)
    t.requiresGrad = true
    return t
}
