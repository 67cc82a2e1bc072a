import CNN
import Foundation
import Testing
import Training

@Suite("Batch-norm statistics recomputed with the final weights (PyTorch's update_bn)")
struct BatchNormStatisticsTests {
    /// 11 images [2, 3, 3] with channel-dependent offsets, in batches of 4, 4 and 3.
    static func data() -> TensorBatchSource {
        let values = (0..<(11 * 2 * 9)).map { i -> Float in
            let channel = (i / 9) % 2
            return Float(channel == 0 ? 3 : -1) + Float((i * 37) % 23) / 7
        }
        let images = Tensor(shape: [11, 2, 3, 3], values: values)
        return TensorBatchSource(images: images, labels: Array(repeating: 0, count: 11), batchSize: 4, shuffle: false)
    }

    /// Per channel, the mean over batches of each batch's mean and of its unbiased variance,
    /// computed here in Double from the images (the batch norm is the first layer).
    static func expected(_ source: TensorBatchSource) -> (mean: [Double], variance: [Double], batches: Int) {
        var means = [0.0, 0.0], variances = [0.0, 0.0], batches = 0
        for (x, _) in source.batches(epoch: 0) {
            let v = x.scalars, n = x.shape[0]
            for c in 0..<2 {
                let values = (0..<n).flatMap { i in (0..<9).map { Double(v[(i * 2 + c) * 9 + $0]) } }
                let m = values.reduce(0, +) / Double(values.count)
                means[c] += m
                variances[c] += values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
            }
            batches += 1
        }
        return (means.map { $0 / Double(batches) }, variances.map { $0 / Double(batches) }, batches)
    }

    @Test("running statistics become the equal-weight averages of the batches; momentum, mode and other layers untouched")
    func averagesOverBatches() {
        let source = Self.data()
        let bn = BatchNorm2D(2)
        let model = Sequential(bn, ReLU(), Conv2D(inputChannels: 2, outputChannels: 1, kernelSize: 1))
        // Stale statistics from "training" on other data.
        for _ in 0..<3 { _ = model(Tensor(shape: [2, 2, 3, 3], values: (0..<36).map { Float($0) })) }
        let weightsBefore = model.parameters().map(\.scalars)
        model.eval()
        #expect(Training.updateBatchNormStatistics(model: model, on: source) == 1)
        let want = Self.expected(source)
        for c in 0..<2 {
            #expect(abs(Double(bn.runningMean.scalars[c]) - want.mean[c]) < 1e-5 * max(1, abs(want.mean[c])), "channel \(c) mean")
            #expect(abs(Double(bn.runningVariance.scalars[c]) - want.variance[c]) < 1e-5 * max(1, want.variance[c]), "channel \(c) variance")
        }
        #expect(bn.batchesTracked.scalars == [Float(want.batches)] && want.batches == 3)
        #expect(bn.momentum == 0.1)
        #expect(!model.isTraining && !bn.isTraining)
        #expect(model.parameters().map(\.scalars) == weightsBefore)
    }

    @Test("momentum nil: each training step counts 1 / batches tracked, as PyTorch's momentum=None")
    func cumulativeAverage() {
        let bn = BatchNorm2D(1, momentum: nil)
        #expect(bn.configuration.contains("momentum=None"))
        bn.resetRunningStatistics()
        for k in 1...3 {
            _ = bn(Tensor(shape: [2, 1, 1, 1], values: [Float(k), Float(k) + 2]))   // mean k + 1, unbiased variance 2
        }
        #expect(bn.runningMean.scalars == [3] && bn.runningVariance.scalars == [2])   // (2 + 3 + 4) / 3
        #expect(bn.batchesTracked.scalars == [3])
        bn.momentum = 0.5
        _ = bn(Tensor(shape: [2, 1, 1, 1], values: [10, 12]))
        #expect(bn.runningMean.scalars == [7])   // 0.5 · 3 + 0.5 · 11
    }

    @Test("a model without batch norms is left alone")
    func noBatchNorms() {
        let model = Sequential(Conv2D(inputChannels: 2, outputChannels: 1, kernelSize: 1))
        #expect(Training.updateBatchNormStatistics(model: model, on: Self.data()) == 0)
    }
}
