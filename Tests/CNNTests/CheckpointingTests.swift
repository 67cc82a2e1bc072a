import Testing
import CNN
import _TestSupport

/// A small body with every kind of state a checkpoint must respect: batch norm (running
/// statistics and `num_batches_tracked`), dropout (random mask), a convolution with parameters.
final class CheckpointProbe {
    let norm = BatchNorm2D(5)
    let conv = Conv2D(inputChannels: 5, outputChannels: 4, kernelSize: (3, 3), padding: (1, 1))
    let drop = Dropout(probability: 0.3)

    init(seed: UInt64) {
        Random.seed(seed)
        for p in [conv.weight] { p.assign(Tensor.randomNormal(p.shape, std: 0.3)) }
        norm.weight!.assign(Tensor.randomUniform([5], low: 0.5, high: 1.5))
        norm.bias!.assign(Tensor.randomNormal([5], std: 0.1))
    }

    var parameters: [Tensor] { [norm.weight!, norm.bias!, conv.weight] + (conv.bias.map { [$0] } ?? []) }

    /// concat(a, b) → BN → ReLU → conv → dropout.
    func body(_ xs: [Tensor]) -> Tensor { drop(conv(norm(concatenate(xs, axis: 1)).relu())) }
}

/// Runs forward and backward through `probe` plainly or checkpointed; returns output, input
/// gradients, parameter gradients, running statistics and the next draw of the default stream.
func checkpointStep(checkpoint: Bool) -> (out: [Float], gradIn: [[Float]], gradParams: [[Float]], stats: [Float], next: Float) {
    // A stream of this test's own: the default stream is shared with tests running in parallel.
    Random.using(RandomStream(seed: 0)) { checkpointStepBody(checkpoint: checkpoint) }
}

func checkpointStepBody(checkpoint: Bool) -> (out: [Float], gradIn: [[Float]], gradParams: [[Float]], stats: [Float], next: Float) {
    let probe = CheckpointProbe(seed: 3)
    let a = leaf([2, 2, 6, 6], seed: 11), b = leaf([2, 3, 6, 6], seed: 12)
    let upstream = Tensor.randomNormal([2, 4, 6, 6], seed: 13)
    Random.seed(99)
    let y = checkpoint ? checkpointed([a, b], restoring: [probe.norm]) { probe.body($0) } : probe.body([a, b])
    // A second op after the checkpoint, so its gradient arrives from the tape, not as the seed.
    let z = y * y
    z.backward(upstream)
    let stats = probe.norm.runningMean.scalars + probe.norm.runningVariance.scalars + probe.norm.batchesTracked.scalars
    return (y.scalars, [a.grad!.scalars, b.grad!.scalars], probe.parameters.map { $0.grad!.scalars }, stats,
            Random.withGenerator { $0.nextUniform() })
}

@Suite("Gradient checkpointing")
struct CheckpointingTests {
    @Test func gradientsStatisticsAndRandomStreamEqualThePlainRun() {
        let plain = checkpointStep(checkpoint: false)
        let ckpt = checkpointStep(checkpoint: true)
        // Same kernels on the same operands in the same order: bit-identical, not just close.
        #expect(ckpt.out == plain.out)
        #expect(ckpt.gradIn == plain.gradIn)
        #expect(ckpt.gradParams == plain.gradParams)
        // Running statistics updated once (momentum 0.1 from 0 and 1), the counter at 1, not 2.
        #expect(ckpt.stats == plain.stats)
        #expect(ckpt.stats.last == 1)
        // The recomputation replays the dropout mask from a copy: the caller's stream moved on once.
        #expect(ckpt.next == plain.next)
        // Dropout did drop something, so the replay was tested on a real mask.
        #expect(plain.out.contains(0))
    }

    @Test func runningStatisticsMatchAHandComputedUpdate() {
        // One channel, batch statistics mean 2 and unbiased variance 10/3 for [0, 1, 3, 4]:
        // running_mean = 0.9·0 + 0.1·2 = 0.2, running_var = 0.9·1 + 0.1·10/3 = 1.2333.
        let norm = BatchNorm2D(1)
        let x = Tensor(shape: [4, 1, 1, 1], values: [0, 1, 3, 4], requiresGrad: true)
        let y = checkpointed([x], restoring: [norm]) { norm($0[0]).relu() }
        y.sum().backward()
        #expect(abs(norm.runningMean.scalars[0] - 0.2) < 1e-6)
        #expect(abs(norm.runningVariance.scalars[0] - 1.233_333_3) < 1e-6)
        #expect(norm.batchesTracked.scalars == [1])
        #expect(x.grad != nil)
    }

    @Test func matchesCentralDifferences() {
        let conv = Conv2D(inputChannels: 3, outputChannels: 2, kernelSize: (3, 3), padding: (1, 1))
        let a = leaf([1, 1, 4, 4], seed: 5), b = leaf([1, 2, 4, 4], seed: 6)
        let result = checkGradient(inputs: [a, b, conv.weight]) { _ in
            checkpointed([a, b]) { conv(concatenate($0, axis: 1).tanh()) }.squared()
        }
        #expect(result.passed, "\(result)")
    }

    @Test func withoutRecordingOrGradientsTheBodyRunsOnce() {
        var calls = 0
        let x = Tensor.randomNormal([2, 3], seed: 1)
        let y = checkpointed([x]) { calls += 1; return $0[0] * $0[0] }
        #expect(calls == 1)
        #expect(y.gradFunction == nil)
        let z = withNoGrad { checkpointed([leaf([2, 3], seed: 2)]) { calls += 1; return $0[0] + $0[0] } }
        #expect(calls == 2 && z.gradFunction == nil)
        #expect(Checkpointing.isRecomputing == false)
    }

    @Test func keepsLessMemoryThanThePlainChain() async {
        await #expect(processExitsWith: .success) {
            // Eight segments of four elementwise ops on a 1 MB tensor: the plain tape keeps all 32
            // intermediates (and their saved outputs); checkpointing each segment keeps the eight
            // segment outputs, and the backward pass rebuilds one segment's graph at a time.
            func step(_ checkpoint: Bool) -> Int {
                let x = leaf([256, 1024], seed: 1)
                let segment: ([Tensor]) -> Tensor = { xs in (0..<4).reduce(xs[0]) { t, _ in (t * t).tanh() } }
                MemoryMeter.resetPeak()
                let start = MemoryMeter.liveBytes
                let y = (0..<8).reduce(x) { t, _ in checkpoint ? checkpointed([t], segment) : segment([t]) }
                y.sum().backward()
                return MemoryMeter.peakBytes - start
            }
            let plain = step(false), ckpt = step(true)
            if !(ckpt * 2 < plain) { fatalError("checkpoint peak \(ckpt) B is not well below the plain \(plain) B") }
        }
    }
}
