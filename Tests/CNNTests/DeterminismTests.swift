import Testing
import CNN

// The default generator is process-wide and other tests draw from it concurrently, so each
// check runs in a child process (an exit test), where nothing else touches it.

/// Seeds the engine, builds a small network (linear, batch norm, ReLU, dropout, linear) from the
/// default generator, runs softmax and label-smoothed cross-entropy, back-propagates, and
/// returns the bit patterns of the probabilities, the loss and every gradient.
func determinismRun(seed: UInt64) -> [UInt32] {
    Random.seed(seed)
    let model = Sequential(
        Linear(inputFeatures: 12, outputFeatures: 16), BatchNorm2D(16), ReLU(),
        Dropout(probability: 0.5), Linear(inputFeatures: 16, outputFeatures: 5))
    let x = Tensor.randomNormal([8, 12])
    x.requiresGrad = true
    let logits = model(x)
    let probabilities = softmax(logits)
    let loss = crossEntropy(logits: logits, labels: [0, 1, 2, 3, 4, 0, 1, 2], labelSmoothing: 0.1)
    loss.backward()
    var bits = (probabilities.scalars + loss.scalars + x.grad!.scalars).map(\.bitPattern)
    for p in model.parameters() { bits += p.grad!.scalars.map(\.bitPattern) }
    for (_, b, _) in model.namedBuffers() { bits += b.scalars.map(\.bitPattern) }
    return bits
}

@Suite("Determinism")
struct DeterminismTests {
    @Test func sameSeedGivesBitIdenticalOutputsAndGradients() async {
        await #expect(processExitsWith: .success) {
            let first = determinismRun(seed: 2024), second = determinismRun(seed: 2024)
            if first != second {
                let i = first.indices.first { first[$0] != second[$0] } ?? -1
                fatalError("determinism: runs differ at value \(i) of \(first.count)")
            }
            // A different seed must change the weights, the mask and so the result.
            if determinismRun(seed: 2025) == first { fatalError("determinism: seed 2025 gave the same values as 2024") }
        }
    }
}
