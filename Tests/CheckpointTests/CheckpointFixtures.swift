import Foundation
import CNN
import Checkpoint

/// The PyTorch-made fixtures (Fixtures/make_fixtures.py) and their expected values.
enum Fixtures {
    static func url(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            fatalError("fixture \(name) missing: run Tests/CheckpointTests/Fixtures/make_fixtures.py")
        }
        return url
    }

    static func bytes(_ name: String) -> [UInt8] { Array(try! Data(contentsOf: url(name))) }

    /// expected.json, as PyTorch wrote it.
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = try! Data(contentsOf: url("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func entry(_ key: String) -> [String: Any] { expected[key] as! [String: Any] }

    static func floats(_ value: Any?) -> [Float] { (value as! [NSNumber]).map { $0.floatValue } }

    static func ints(_ value: Any?) -> [Int] { (value as! [NSNumber]).map { $0.intValue } }

    /// The fixture's MLP input as a tensor.
    static func mlpInput() -> Tensor {
        let e = entry("mlp")
        return Tensor(shape: ints(e["input_shape"]), values: floats(e["input"]))
    }

    static func logits(_ key: String) -> [Float] { floats(entry(key)["logits"]) }
}

/// `nn.BatchNorm1d` in eval mode, for the fixture MLP only (the engine's BatchNorm2D is built
/// elsewhere): y = (x − running_mean) / √(running_var + ε) · weight + bias on [N, C].
/// It records no gradient, so training stops at it.
final class EvalBatchNorm1D: Module {
    let weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor, batches: Tensor
    let channels: Int

    init(_ channels: Int) {
        self.channels = channels
        weight = Tensor.ones([channels]); bias = Tensor.zeros([channels])
        runningMean = Tensor.zeros([channels]); runningVar = Tensor.ones([channels])
        batches = Tensor(scalar: 0)
        super.init()
        registerParameter("weight", weight); registerParameter("bias", bias)
        registerBuffer("running_mean", runningMean); registerBuffer("running_var", runningVar)
        registerBuffer("num_batches_tracked", batches, isInteger: true)
    }

    override func forward(_ x: Tensor) -> Tensor {
        let (w, b, m, v) = (weight.scalars, bias.scalars, runningMean.scalars, runningVar.scalars)
        let input = x.scalars
        var out = [Float](repeating: 0, count: input.count)
        for i in 0..<input.count {
            let c = i % channels
            out[i] = (input[i] - m[c]) / (v[c] + 1e-5).squareRoot() * w[c] + b[c]
        }
        return Tensor(shape: x.shape, values: out)
    }
}

/// The fixture's `nn.Sequential(Linear(6, 8), BatchNorm1d(8), ReLU(), Linear(8, 4))` in kit modules.
func makeFixtureMLP() -> Sequential {
    Sequential(Linear(inputFeatures: 6, outputFeatures: 8), EvalBatchNorm1D(8), ReLU(), Linear(inputFeatures: 8, outputFeatures: 4))
}
