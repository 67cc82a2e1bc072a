import Foundation

/// Weight initialisers, drawing from the engine's default generator (`Random.seed`) unless a
/// generator is passed. Fan-in of a conv weight [F, C/g, kh, kw] is C/g·kh·kw.
public enum Init {
    @TaskLocal static var metaOnly = false

    /// Builds modules whose parameters and buffers are shape-only (no memory, no random
    /// draws): a VGG-16 "constructed" this way costs nothing, yet its shapes, parameter counts
    /// and meta forward walk are exact. For analysis and answer keys.
    ///
    ///     let vgg = withMetaParameters { Zoo.vgg16() }   // instant; vgg.parameterCount is exact
    public static func withMetaParameters<R>(_ body: () throws -> R) rethrows -> R {
        try $metaOnly.withValue(true, operation: body)
    }

    /// A parameter filled by `fill`, or a meta tensor inside `withMetaParameters`.
    static func make(_ shape: [Int], _ fill: () -> Tensor) -> Tensor { metaOnly ? Tensor(meta: shape) : fill() }

    /// A constant-filled parameter or buffer (batch-norm scale 1, shift 0, running statistics).
    public static func constant(_ shape: [Int], _ value: Float) -> Tensor { make(shape) { Tensor.full(shape, value) } }

    /// PyTorch's default for Linear and Conv weights and biases: U(-1/√fanIn, 1/√fanIn)
    /// (kaiming_uniform_ with a = √5 reduces to this bound).
    public static func pytorchDefault(_ shape: [Int], fanIn: Int) -> Tensor {
        let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
        return make(shape) { Tensor.randomUniform(shape, low: -bound, high: bound) }
    }

    /// He et al. 2015, normal: N(0, 2/fan) with fan = fanIn (mode "fan_in") or fanOut ("fan_out",
    /// torchvision's ResNet/VGG choice).
    public static func kaimingNormal(_ shape: [Int], fan: Int) -> Tensor {
        make(shape) { Tensor.randomNormal(shape, std: (2 / Float(fan)).squareRoot()) }
    }

    /// He et al. 2015, uniform: U(-√(6/fan), √(6/fan)).
    public static func kaimingUniform(_ shape: [Int], fan: Int) -> Tensor {
        let b = (6 / Float(fan)).squareRoot()
        return make(shape) { Tensor.randomUniform(shape, low: -b, high: b) }
    }

    /// Glorot & Bengio 2010, uniform: U(-√(6/(fanIn+fanOut)), +…).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int) -> Tensor {
        let b = (6 / Float(fanIn + fanOut)).squareRoot()
        return make(shape) { Tensor.randomUniform(shape, low: -b, high: b) }
    }

    /// Glorot & Bengio 2010, normal: N(0, 2/(fanIn+fanOut)).
    public static func xavierNormal(_ shape: [Int], fanIn: Int, fanOut: Int) -> Tensor {
        make(shape) { Tensor.randomNormal(shape, std: (2 / Float(fanIn + fanOut)).squareRoot()) }
    }

    /// Fan-in and fan-out of a weight of PyTorch layout ([out, in] or [F, C/g, kh, kw]).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "Init.fans: weight shape \(shape) has rank < 2")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }
}

/// `Init.withMetaParameters`: build modules with shape-only parameters.
public func withMetaParameters<R>(_ body: () throws -> R) rethrows -> R { try Init.withMetaParameters(body) }
