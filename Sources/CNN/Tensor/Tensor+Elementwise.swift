import Foundation

// Elementwise ops. Binary ops require equal shapes: the engine never broadcasts silently
// (a bias or a per-channel scale has its own op where it is needed).

extension Tensor {
    /// A new tensor of this shape (meta if self is meta) filled by `body(out, in)` per element range.
    @inline(__always)
    func mapped(_ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, Range<Int>) -> Void) -> Tensor {
        if isMeta { return Tensor(meta: shape) }
        let out = Tensor(uninitialized: shape)
        let o = SendablePointer(out.storage.base), x = SendablePointer(storage.base)
        parallelRanges(count, minimumPerTask: 1 << 15) { r in body(o.p, UnsafePointer(x.p), r) }
        return out
    }

    @inline(__always)
    func zipped(_ other: Tensor, _ op: String,
                _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, Range<Int>) -> Void) -> Tensor {
        precondition(shape == other.shape, "\(op): shapes \(shape) and \(other.shape) differ (no broadcasting)")
        if isMeta || other.isMeta { return Tensor(meta: shape) }
        let out = Tensor(uninitialized: shape)
        let o = SendablePointer(out.storage.base), a = SendablePointer(storage.base), b = SendablePointer(other.storage.base)
        parallelRanges(count, minimumPerTask: 1 << 15) { r in body(o.p, UnsafePointer(a.p), UnsafePointer(b.p), r) }
        return out
    }

    /// Elementwise sum (the residual connection's y = F(x) + x).
    public func adding(_ other: Tensor) -> Tensor {
        zipped(other, "add") { o, a, b, r in for i in r { o[i] = a[i] + b[i] } }
            .traced("add", [self, other])
            .recording("add", [self, other]) { g, _ in [g, g] }
    }

    /// Elementwise difference.
    public func subtracting(_ other: Tensor) -> Tensor {
        zipped(other, "subtract") { o, a, b, r in for i in r { o[i] = a[i] - b[i] } }
            .traced("subtract", [self, other])
            .recording("subtract", [self, other]) { g, _ in [g, g.scaled(by: -1)] }
    }

    /// Elementwise product.
    public func multiplying(_ other: Tensor) -> Tensor {
        zipped(other, "multiply") { o, a, b, r in for i in r { o[i] = a[i] * b[i] } }
            .traced("multiply", [self, other])
            .recording("multiply", [self, other]) { [self] g, needs in
                [needs[0] ? g.multiplying(other) : nil, needs[1] ? g.multiplying(self) : nil]
            }
    }

    /// `self * factor`.
    public func scaled(by factor: Float) -> Tensor {
        mapped { o, x, r in for i in r { o[i] = x[i] * factor } }
            .traced("scale", [self])
            .recording("scale", [self]) { g, _ in [g.scaled(by: factor)] }
    }

    /// `self + value`.
    public func shifted(by value: Float) -> Tensor {
        mapped { o, x, r in for i in r { o[i] = x[i] + value } }
            .traced("shift", [self])
            .recording("shift", [self]) { g, _ in [g] }
    }

    // Rules that need the output capture a detached view of it: capturing the output itself
    // would make a reference cycle (output -> gradFunction -> rule -> output).

    /// max(0, x). The gradient passes where the output is positive.
    public func relu() -> Tensor {
        let y = mapped { o, x, r in for i in r { o[i] = max(x[i], 0) } }
        return y.traced("relu", [self], saved: count)
            .recording("relu", [self]) { [saved = y.detached()] g, _ in
                [g.zipped(saved, "relu backward") { o, g, y, r in for i in r { o[i] = y[i] > 0 ? g[i] : 0 } }]
            }
    }

    /// Hyperbolic tangent (LeNet's activation), within 4 ulps of the C library's (ActivationKernels.swift).
    /// d tanh = 1 - y².
    public func tanh() -> Tensor {
        let y = mapped { o, x, r in tanhKernel(x, o, r) }
        return y.traced("tanh", [self], saved: count)
            .recording("tanh", [self]) { [saved = y.detached()] g, _ in
                [g.zipped(saved, "tanh backward") { o, g, y, r in for i in r { o[i] = g[i] * (1 - y[i] * y[i]) } }]
            }
    }

    /// Logistic sigmoid. d σ = y (1 - y).
    public func sigmoid() -> Tensor {
        let y = mapped { o, x, r in for i in r { o[i] = 1 / (1 + Foundation.exp(-x[i])) } }
        return y.traced("sigmoid", [self], saved: count)
            .recording("sigmoid", [self]) { [saved = y.detached()] g, _ in
                [g.zipped(saved, "sigmoid backward") { o, g, y, r in for i in r { o[i] = g[i] * y[i] * (1 - y[i]) } }]
            }
    }

    /// Elementwise square.
    public func squared() -> Tensor {
        mapped { o, x, r in for i in r { o[i] = x[i] * x[i] } }
            .traced("square", [self])
            .recording("square", [self]) { [self] g, _ in
                [g.zipped(self, "square backward") { o, g, x, r in for i in r { o[i] = 2 * x[i] * g[i] } }]
            }
    }

    /// In-place `self += other`, outside the graph (gradient accumulation, optimisers).
    public func addInPlace(_ other: Tensor, scale: Float = 1) {
        precondition(shape == other.shape || count == other.count, "addInPlace: shapes \(shape) and \(other.shape) differ")
        let o = SendablePointer(storage.base), b = SendablePointer(other.storage.base)
        parallelRanges(count, minimumPerTask: 1 << 15) { r in for i in r { o.p[i] += scale * b.p[i] } }
    }
}

public func + (a: Tensor, b: Tensor) -> Tensor { a.adding(b) }
public func - (a: Tensor, b: Tensor) -> Tensor { a.subtracting(b) }
public func * (a: Tensor, b: Tensor) -> Tensor { a.multiplying(b) }
public func * (a: Tensor, s: Float) -> Tensor { a.scaled(by: s) }
public func * (s: Float, a: Tensor) -> Tensor { a.scaled(by: s) }
public func + (a: Tensor, s: Float) -> Tensor { a.shifted(by: s) }
public prefix func - (a: Tensor) -> Tensor { a.scaled(by: -1) }
