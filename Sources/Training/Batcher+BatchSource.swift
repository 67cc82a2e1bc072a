import CNN
import Datasets

/// The Datasets batcher drives `Training.fit` directly.
///
/// Epoch `e` of a `Batcher` is already a pure function of (seed, e): the order is
/// `seededPermutation(count, seed: mixSeed(seed, e))` and item `i` is augmented with a generator
/// seeded by `mixSeed(seed, e, i)`, whatever the prefetch depth or thread count. So a run resumed
/// from an epoch-k checkpoint sees exactly the batches an uninterrupted run sees from epoch k on.
///
///     let train = Batcher(try FashionMNIST.load(.train), batchSize: 128, seed: 1)
///     try Training.fit(model: LeNet5(), train: train, test: …, optimizer: …, epochs: 10, loss: …)
extension Batcher: BatchSource {
    /// The batches of `epoch` as (images [N, C, H, W], N labels).
    public func batches(epoch: Int) -> LazyMapSequence<EpochBatches<Data>, (Tensor, [Int])> {
        self.epoch(epoch).lazy.map { ($0.images, $0.labels) }
    }
}
