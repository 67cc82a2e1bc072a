import CNN

/// Something that yields the mini-batches of an epoch: images [N, C, H, W] (or any [N, …]) with
/// their N integer labels. The training loop needs nothing more from a data set.
///
/// The order of the batches must depend only on the source's own seed and `epoch` (a seeded
/// shuffle per epoch), so that a run resumed at epoch k sees the batches an uninterrupted run
/// would have seen. The Datasets batcher conforms with a one-line extension.
public protocol BatchSource {
    associatedtype Batches: Sequence<(Tensor, [Int])>
    /// The batches of epoch `epoch` (from 0), in order.
    func batches(epoch: Int) -> Batches
    /// Number of batches per epoch (for progress and ETA).
    var batchCount: Int { get }
}

/// In-memory samples cut into batches, reshuffled every epoch from `seed` and the epoch
/// (the synthetic data of tests, or a data set already decoded into one tensor).
///
/// - Shape: images [N, …], labels N → batches [B, …], B labels (the last batch may be smaller
///   unless `dropLast`).
public struct TensorBatchSource: BatchSource {
    public let images: Tensor
    public let labels: [Int]
    public let batchSize: Int
    public let shuffle: Bool
    public let seed: UInt64
    public let dropLast: Bool

    public init(images: Tensor, labels: [Int], batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0, dropLast: Bool = false) {
        precondition(images.rank >= 1 && images.shape[0] == labels.count,
                     "TensorBatchSource: \(labels.count) labels for images of shape \(images.shape)")
        precondition(batchSize > 0, "TensorBatchSource: batch size \(batchSize) must be positive")
        self.images = images; self.labels = labels; self.batchSize = batchSize
        self.shuffle = shuffle; self.seed = seed; self.dropLast = dropLast
    }

    public var sampleCount: Int { labels.count }

    public var batchCount: Int {
        dropLast ? sampleCount / batchSize : (sampleCount + batchSize - 1) / batchSize
    }

    /// The sample order of `epoch`: a Fisher–Yates shuffle driven by a generator seeded from
    /// (seed, epoch), so any epoch's order can be recomputed without replaying earlier ones.
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<sampleCount)
        guard shuffle else { return order }
        var g = SeededGenerator(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1)))
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(g.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        return order
    }

    public func batches(epoch: Int) -> LazyMapSequence<Range<Int>, (Tensor, [Int])> {
        let order = order(epoch: epoch)
        let sampleShape = Array(images.shape.dropFirst())
        let stride = sampleShape.reduce(1, *)
        let (images, labels, batchSize) = (self.images, self.labels, self.batchSize)
        return (0..<batchCount).lazy.map { b in
            let indices = order[(b * batchSize)..<min((b + 1) * batchSize, order.count)]
            let x = Tensor(zeros: [indices.count] + sampleShape)
            x.withUnsafeMutableBufferPointer { out in
                images.withUnsafeBufferPointer { src in
                    for (row, i) in indices.enumerated() {   // seek: x[row] = images[i]
                        for k in 0..<stride { out[row * stride + k] = src[i * stride + k] }
                    }
                }
            }
            return (x, indices.map { labels[$0] })
        }
    }
}
