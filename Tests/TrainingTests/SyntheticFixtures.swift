import CNN
import Training

/// Four Gaussian clusters in 8 dimensions: an easy, seeded classification problem. The cluster
/// centres are fixed; `seed` draws the samples (train and test sets use different seeds).
func syntheticBlobs(samples: Int, seed: UInt64) -> (images: Tensor, labels: [Int]) {
    let centers = Tensor.randomNormal([4, 8], std: 2, seed: 2024)
    var g = SeededGenerator(seed: seed)
    let x = Tensor(zeros: [samples, 8])
    var labels: [Int] = []
    for i in 0..<samples {
        let c = i % 4
        labels.append(c)
        for k in 0..<8 { x[i, k] = centers[c, k] + 0.8 * g.nextNormal() }
    }
    return (x, labels)
}

/// Adds N(0, σ²) noise in training mode, drawn from the default random stream: a stand-in for
/// dropout that makes the run depend on the RNG state a checkpoint must carry.
final class GaussianNoise: Module {
    let std: Float
    init(std: Float) { self.std = std; super.init() }
    override func forward(_ x: Tensor) -> Tensor {
        isTraining ? x + Tensor.randomNormal(x.shape, std: std) : x
    }
}

/// A small MLP, 8 → 16 → 4, its weights drawn from `seed` (a private stream, so concurrent
/// tests do not disturb one another).
func smallMLP(seed: UInt64) -> Sequential {
    Random.using(RandomStream(seed: seed)) {
        Sequential(Linear(inputFeatures: 8, outputFeatures: 16), GaussianNoise(std: 0.3), ReLU(),
                   Linear(inputFeatures: 16, outputFeatures: 4))
    }
}

/// Squared error against one-hot targets (cross-entropy lives in the CNN ops).
func oneHotMSE(_ logits: Tensor, _ labels: [Int]) -> Tensor {
    mseLoss(logits, smoothedTargets(labels: labels, classes: logits.shape[1], epsilon: 0))
}
