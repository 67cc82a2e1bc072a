import CNN

/// A mini-batch: images stacked into one tensor, and their labels.
///
/// `@unchecked Sendable` because a prefetch thread builds it and hands it over whole; nobody
/// else holds the tensor at that point.
public struct Batch: @unchecked Sendable {
    /// `[N, C, H, W]`.
    public let images: Tensor
    /// `N` class indices.
    public let labels: [Int]
    /// The dataset positions of the `N` items (for debugging and per-item bookkeeping).
    public let indices: [Int]
}

/// Cuts a dataset into mini-batches, in a seeded random order per epoch, optionally applying a
/// transform to every item and preparing batches ahead on a background thread.
///
/// Determinism: epoch `e` visits the items in `seededPermutation(count, seed: mixSeed(seed, e))`
/// order, and item `i` of epoch `e` is transformed with `SeededGenerator(seed: mixSeed(seed, e, i))`.
/// Nothing depends on threads or on `prefetch`, so a run is repeatable (and resumable at an epoch
/// boundary) from the seed alone.
///
/// Batch assembly writes each item straight into the batch tensor (a byte-to-float conversion
/// or a memcpy per item), split over the engine's threads.
///
///     let batcher = Batcher(train, batchSize: 128, seed: 1, transform: PadTo(height: 32, width: 32))
///     for batch in batcher.epoch(0) { batch.images.shape }   // [128, 1, 32, 32] …, last [96, 1, 32, 32]
public struct Batcher<Data: Dataset>: Sendable {
    public let dataset: Data
    public let batchSize: Int
    /// Whether each epoch uses a fresh seeded permutation (false: dataset order).
    public let shuffle: Bool
    /// Whether a final batch smaller than `batchSize` is left out.
    public let dropLast: Bool
    public let seed: UInt64
    /// Applied to every item before stacking (augmentation, resize, normalisation).
    public let transform: (any ImageTransform)?
    /// Batches prepared ahead on a background thread; 0 builds each batch when asked for.
    public let prefetch: Int
    /// `[C, H, W]` of the items after `transform`.
    public let itemShape: [Int]

    public init(_ dataset: Data, batchSize: Int, shuffle: Bool = true, seed: UInt64 = 0, dropLast: Bool = false,
                transform: (any ImageTransform)? = nil, prefetch: Int = 2) {
        precondition(batchSize > 0, "Batcher: batch size \(batchSize) must be positive")
        precondition(prefetch >= 0, "Batcher: prefetch \(prefetch) must be >= 0")
        precondition(dataset.count > 0, "Batcher: the dataset is empty")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
        self.transform = transform
        self.prefetch = prefetch
        if let transform {
            var g = SeededGenerator(seed: 0)
            itemShape = transform(dataset.item(0).image, using: &g).shape
        } else {
            itemShape = dataset.imageShape
        }
    }

    /// Batches per epoch.
    public var batchCount: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the dataset.
    public func order(epoch: Int) -> [Int] {
        shuffle ? seededPermutation(dataset.count, seed: mixSeed(seed, UInt64(epoch))) : Array(0..<dataset.count)
    }

    /// The batches of one epoch, in order (prefetched when `prefetch > 0`).
    public func epoch(_ epoch: Int) -> EpochBatches<Data> { EpochBatches(batcher: self, epoch: epoch) }

    /// Batch number `index` of epoch `epoch`, built on the calling thread.
    public func batch(_ index: Int, epoch: Int) -> Batch { batch(index, of: order(epoch: epoch), epoch: epoch) }

    func batch(_ index: Int, of order: [Int], epoch: Int) -> Batch {
        precondition(index >= 0 && index < batchCount, "Batcher.batch: index \(index) out of range 0..<\(batchCount)")
        let lo = index * batchSize, hi = min(lo + batchSize, order.count)
        return assemble(Array(order[lo..<hi]), epoch: epoch)
    }

    /// Stacks the items at `positions` into one batch (transform applied as in epoch `epoch`).
    public func assemble(_ positions: [Int], epoch: Int = 0) -> Batch {
        let n = positions.count, size = itemShape.reduce(1, *)
        let images = Tensor(uninitialized: [n] + itemShape)
        let base = SendablePointer(images.storage.base)
        // Parallel only when a task gets enough work to pay for the dispatch (~64K floats).
        parallelRanges(n, minimumPerTask: max(1, 65_536 / max(size, 1))) { range in
            for k in range {
                let destination = base.p + k * size
                guard let transform else {
                    dataset.copyImage(positions[k], into: destination)
                    continue
                }
                var g = SeededGenerator(seed: mixSeed(seed, UInt64(epoch), UInt64(positions[k])))
                let out = transform(dataset.item(positions[k]).image, using: &g)
                precondition(out.shape == itemShape,
                             "Batcher: item \(positions[k]) became \(out.shape) after the transform, item 0 became \(itemShape); add a Resize/CenterCrop so all items agree")
                out.pixels.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: size) }
            }
        }
        return Batch(images: images, labels: positions.map { dataset.label($0) }, indices: positions)
    }
}

/// The batches of one epoch as a `Sequence`. Iterating twice gives the same batches.
public struct EpochBatches<Data: Dataset>: Sequence {
    let batcher: Batcher<Data>
    public let epoch: Int

    public func makeIterator() -> BatchIterator<Data> { BatchIterator(batcher: batcher, epoch: epoch) }

    public var underestimatedCount: Int { batcher.batchCount }
}

/// Yields the batches of one epoch; with prefetch, a background thread keeps up to
/// `batcher.prefetch` batches ready. Dropping the iterator early stops that thread.
public final class BatchIterator<Data: Dataset>: IteratorProtocol {
    private let batcher: Batcher<Data>
    private let epoch: Int
    private let order: [Int]
    private var position = 0
    private let buffer: PrefetchBuffer?

    init(batcher: Batcher<Data>, epoch: Int) {
        self.batcher = batcher
        self.epoch = epoch
        order = batcher.order(epoch: epoch)
        guard batcher.prefetch > 0 else { buffer = nil; return }
        let buffer = PrefetchBuffer(capacity: batcher.prefetch)
        self.buffer = buffer
        let order = order
        buffer.start {
            for b in 0..<batcher.batchCount {
                if !buffer.put(batcher.batch(b, of: order, epoch: epoch)) { return }
            }
        }
    }

    deinit { buffer?.cancel() }

    public func next() -> Batch? {
        if let buffer { return buffer.take() }
        guard position < batcher.batchCount else { return nil }
        defer { position += 1 }
        return batcher.batch(position, of: order, epoch: epoch)
    }
}
