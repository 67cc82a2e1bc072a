import Foundation

/// An n-dimensional array of Float32 in row-major (NCHW for images) order, with autograd.
///
/// Storage is contiguous and owned by a `TensorStorage`; `reshaped` shares it. A tensor that
/// `requiresGrad` accumulates `grad` when `backward()` runs on a result that depends on it.
///
///     let x = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
///     x.shape      // [1, 1, 2, 2]
///     x[0, 0, 1, 0] // 3.0
public final class Tensor {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// The memory behind the elements (shared by reshaped views).
    public let storage: TensorStorage
    /// Whether `backward()` should produce a gradient for this tensor.
    public var requiresGrad: Bool
    /// The accumulated gradient (same shape), after `backward()`.
    public var grad: Tensor?
    /// How this tensor was made, when it was made under gradient recording.
    public internal(set) var gradFunction: GradFunction?

    /// Wraps existing storage. `storage.count` must equal the product of `shape`.
    public init(shape: [Int], storage: TensorStorage, requiresGrad: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
        precondition(shape.reduce(1, *) == storage.count,
                     "Tensor: shape \(shape) has \(shape.reduce(1, *)) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A tensor of zeros.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: TensorStorage(count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// A tensor whose memory is not initialised (kernels that write every element use it).
    package convenience init(uninitialized shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: shape.reduce(1, *), zeroed: false))
    }

    /// A shape-only tensor: no memory, no arithmetic. Ops on it return meta tensors of the right
    /// shape, which is how `Analysis` walks a network.
    public convenience init(meta shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(metaCount: shape.reduce(1, *)))
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
        precondition(values.count == shape.reduce(1, *),
                     "Tensor: \(values.count) values do not fill shape \(shape) (\(shape.reduce(1, *)) elements)")
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: values.count) }
        self.requiresGrad = requiresGrad
    }

    /// A scalar (shape `[]`).
    public convenience init(scalar: Float) { self.init(shape: [], values: [scalar]) }

    /// Number of elements.
    public var count: Int { storage.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// True for shape-only tensors (see `init(meta:)`).
    public var isMeta: Bool { storage.isMeta }
    /// Bytes of element memory (4 per element).
    public var byteCount: Int { count * 4 }

    /// The elements in row-major order.
    public var scalars: [Float] {
        precondition(!isMeta, "Tensor.scalars: a meta tensor has no values")
        return Array(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// The single value of a one-element tensor.
    public func item() -> Float {
        precondition(count == 1, "Tensor.item: tensor of shape \(shape) has \(count) elements, expected 1")
        return storage.base[0]
    }

    /// Row-major offset of a multi-index, checked.
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == rank, "Tensor subscript: \(index.count) indices for a tensor of rank \(rank)")
        var o = 0
        for (i, (k, d)) in zip(index, shape).enumerated() {
            precondition(k >= 0 && k < d, "Tensor subscript: index \(k) out of range 0..<\(d) in dimension \(i)")
            o = o * d + k
        }
        return o
    }

    /// Element access by multi-index (for tests and small examples; kernels use pointers).
    public subscript(_ index: Int...) -> Float {
        get { storage.base[offset(index)] }
        set { storage.base[offset(index)] = newValue }
    }

    /// Read-only access to the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: count))
    }

    /// Mutable access to the elements (no autograd record: for optimisers, loaders, kernels).
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeMutableBufferPointer(start: storage.base, count: count))
    }

    /// The same values, cut off from the graph (shares storage).
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy of the values (no graph).
    public func copy() -> Tensor {
        if isMeta { return Tensor(meta: shape) }
        let t = Tensor(uninitialized: shape)
        t.storage.base.update(from: storage.base, count: count)
        return t
    }

    /// Overwrites the values with those of `other` (same element count), outside the graph.
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "Tensor.assign: \(other.shape) into \(shape)")
        storage.base.update(from: other.storage.base, count: count)
    }

    /// Sets every element to `value`, outside the graph.
    public func fill(_ value: Float) { storage.base.update(repeating: value, count: count) }
}

// MARK: - Factories

extension Tensor {
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(zeros: shape) }

    public static func ones(_ shape: [Int]) -> Tensor { full(shape, 1) }

    public static func full(_ shape: [Int], _ value: Float) -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.fill(value)
        return t
    }

    /// 0, 1, 2, ... reshaped to `shape` (hand-checkable test inputs).
    public static func arange(_ shape: [Int], start: Float = 0, step: Float = 1) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.storage.base[i] = start + Float(i) * step }
        return t
    }

    /// Normal samples from `generator` (or the default stream).
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    generator: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.storage.base[i] = mean + std * generator.nextNormal() }
        return t
    }

    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return randomNormal(shape, mean: mean, std: std, generator: &g)
    }

    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1) -> Tensor {
        Random.withGenerator { randomNormal(shape, mean: mean, std: std, generator: &$0) }
    }

    /// Uniform samples in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     generator: inout SeededGenerator) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.storage.base[i] = low + (high - low) * generator.nextUniform() }
        return t
    }

    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return randomUniform(shape, low: low, high: high, generator: &g)
    }

    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
        Random.withGenerator { randomUniform(shape, low: low, high: high, generator: &$0) }
    }
}

// MARK: - Printing

extension Tensor: CustomStringConvertible {
    public var description: String {
        if isMeta { return "Tensor(meta, shape: \(shape))" }
        let shown = min(count, 8)
        let values = (0..<shown).map { formatFloat(storage.base[$0]) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(values)\(count > shown ? ", …" : "")])"
    }
}

/// Four significant digits, the format recorded outputs use so they are stable across machines.
public func formatFloat(_ x: Float, significantDigits: Int = 4) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    var s = String(format: "%.\(significantDigits)g", Double(x))
    if s.contains("e") { return s }
    if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
    return s
}
