import Testing
import CNN

// MemoryMeter counts every tensor of the process, and tests run concurrently, so the
// before/after comparison runs in a child process (an exit test) with nothing else allocating.

/// Builds a network, runs forward and backward (the graph holds activations, LRN scales,
/// dropout masks and softmax outputs until it is released), and returns the bytes that were
/// live at its largest point.
func memoryMeterWorkload(backward: Bool) -> Int {
    let model = Sequential(
        LocalResponseNorm(size: 5, alpha: 1e-4, beta: 0.75, k: 2, convention: .krizhevsky),
        BatchNorm2D(6), Lambda("relu") { $0.relu() }, Dropout(probability: 0.5), Flatten(),
        Linear(inputFeatures: 6 * 4 * 4, outputFeatures: 10))
    let x = Tensor.randomNormal([4, 6, 4, 4])
    x.requiresGrad = true
    let loss = crossEntropy(logits: model(x), labels: [1, 2, 3, 4], labelSmoothing: 0.1)
    let during = MemoryMeter.liveBytes
    if backward { loss.backward() }
    return during
}

@Suite("Memory meter")
struct MemoryMeterTests {
    @Test func returnsToItsStartingFigureAfterRelease() async {
        await #expect(processExitsWith: .success) {
            let start = MemoryMeter.liveBytes
            for backward in [false, true] {
                let during = memoryMeterWorkload(backward: backward)
                // The input alone is 384 bytes; the graph holds several times that.
                if during - start < 4 * 384 { fatalError("memory meter: only \(during - start) bytes live during the forward pass") }
                if MemoryMeter.liveBytes != start {
                    fatalError("memory meter: \(MemoryMeter.liveBytes) bytes live after release (backward \(backward)), \(start) before")
                }
            }
            let t = Tensor.zeros([1000])
            if MemoryMeter.liveBytes != start + 4000 { fatalError("memory meter: a 1000-float tensor shows as \(MemoryMeter.liveBytes - start) bytes") }
            _ = t.count
            if MemoryMeter.peakBytes < start + 4 * 384 { fatalError("memory meter: peak \(MemoryMeter.peakBytes) below the workload") }
        }
    }
}
