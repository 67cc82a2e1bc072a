import Foundation

/// Weight initialisers, drawing from the engine's default generator (`Random.seed`) unless a
/// generator is passed. Fan-in of a conv weight [F, C/g, kh, kw] is C/g·kh·kw.
public enum Init {
    /// PyTorch's default for Linear and Conv weights and biases: U(-1/√fanIn, 1/√fanIn)
    /// (kaiming_uniform_ with a = √5 reduces to this bound).
    public static func pytorchDefault(_ shape: [Int], fanIn: Int) -> Tensor {
        let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
        return Tensor.randomUniform(shape, low: -bound, high: bound)
    }

    /// He et al. 2015, normal: N(0, 2/fan) with fan = fanIn (mode "fan_in") or fanOut ("fan_out",
    /// torchvision's ResNet/VGG choice).
    public static func kaimingNormal(_ shape: [Int], fan: Int) -> Tensor {
        Tensor.randomNormal(shape, std: (2 / Float(fan)).squareRoot())
    }

    /// He et al. 2015, uniform: U(-√(6/fan), √(6/fan)).
    public static func kaimingUniform(_ shape: [Int], fan: Int) -> Tensor {
        let b = (6 / Float(fan)).squareRoot()
        return Tensor.randomUniform(shape, low: -b, high: b)
    }

    /// Glorot & Bengio 2010, uniform: U(-√(6/(fanIn+fanOut)), +…).
    public static func xavierUniform(_ shape: [Int], fanIn: Int, fanOut: Int) -> Tensor {
        let b = (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.randomUniform(shape, low: -b, high: b)
    }

    /// Glorot & Bengio 2010, normal: N(0, 2/(fanIn+fanOut)).
    public static func xavierNormal(_ shape: [Int], fanIn: Int, fanOut: Int) -> Tensor {
        Tensor.randomNormal(shape, std: (2 / Float(fanIn + fanOut)).squareRoot())
    }

    /// Fan-in and fan-out of a weight of PyTorch layout ([out, in] or [F, C/g, kh, kw]).
    public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(shape.count >= 2, "Init.fans: weight shape \(shape) has rank < 2")
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }
}
