/// A finite, indexable collection of labelled images of one shape.
///
/// `item(i)` is the general access; `copyImage(_:into:)` is the batcher's fast path, which an
/// in-memory dataset implements as a straight conversion into the batch tensor's memory.
public protocol Dataset: Sendable {
    /// Number of items.
    var count: Int { get }
    /// `[C, H, W]` of every image.
    var imageShape: [Int] { get }
    /// Names of the classes, index = label.
    var classNames: [String] { get }
    /// Item `index` (0-based, `< count`).
    func item(_ index: Int) -> Example
    /// Label of item `index`, without decoding the image.
    func label(_ index: Int) -> Int
    /// Writes image `index` (C·H·W floats, CHW order) to `destination`.
    func copyImage(_ index: Int, into destination: UnsafeMutablePointer<Float>)
}

extension Dataset {
    /// Number of classes.
    public var classCount: Int { classNames.count }

    public func label(_ index: Int) -> Int { item(index).label }

    public func copyImage(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        let pixels = item(index).image.pixels
        pixels.withUnsafeBufferPointer { destination.update(from: $0.baseAddress!, count: pixels.count) }
    }

    /// How many items carry each label (index = label).
    public func labelHistogram() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for i in 0..<count { counts[label(i)] += 1 }
        return counts
    }
}

/// Images and labels held in memory: 8-bit pixels (read as value/255, like torchvision's
/// `ToTensor`) or Float pixels, plus an index map so subsets and splits share the pixel memory.
///
///     let train = try FashionMNIST.load(.train)          // 60,000 items, [1, 28, 28]
///     let (fit, val) = train.split(fraction: 0.9, seed: 1) // 54,000 / 6,000, disjoint
///     fit.subset(0..<1000).count                          // 1000
public struct InMemoryDataset: Dataset {
    /// Pixel memory of all stored images, image after image, each in CHW order.
    public enum Pixels: Sendable {
        /// Bytes, scaled by 1/255 on access (MNIST, CIFAR: a quarter of the memory of floats).
        case bytes([UInt8])
        /// Floats, used as they are.
        case floats([Float])

        var count: Int {
            switch self {
            case .bytes(let b): b.count
            case .floats(let f): f.count
            }
        }
    }

    public let imageShape: [Int]
    public let classNames: [String]
    /// All stored pixels (items not in `indices` may be among them).
    public let pixels: Pixels
    /// Labels of all stored images.
    public let storedLabels: [Int]
    /// Which stored images this dataset shows, in order; `nil` means all of them.
    public let indices: [Int]?

    /// Elements per image, `C·H·W`.
    public var imageSize: Int { imageShape.reduce(1, *) }

    /// Wraps pixels and labels. Labels must be in `0..<classNames.count`, and the pixel count must
    /// be `labels.count * C * H * W` (a programmer error otherwise: file loaders check their input
    /// and throw `DataError` before they get here).
    public init(imageShape: [Int], pixels: Pixels, labels: [Int], classNames: [String]) {
        precondition(imageShape.count == 3 && imageShape.allSatisfy { $0 > 0 },
                     "InMemoryDataset: image shape must be [C, H, W] with positive sizes, got \(imageShape)")
        precondition(pixels.count == labels.count * imageShape.reduce(1, *),
                     "InMemoryDataset: \(pixels.count) pixels for \(labels.count) images of \(imageShape)")
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
            preconditionFailure("InMemoryDataset: label \(labels[bad]) of item \(bad) outside 0..<\(classNames.count)")
        }
        self.imageShape = imageShape
        self.pixels = pixels
        self.storedLabels = labels
        self.classNames = classNames
        self.indices = nil
    }

    /// Collects the examples of any dataset into memory (Float pixels).
    public init(_ examples: [Example], classNames: [String]) {
        precondition(!examples.isEmpty, "InMemoryDataset: no examples")
        let shape = examples[0].image.shape
        var values = [Float]()
        values.reserveCapacity(examples.count * shape.reduce(1, *))
        for (i, e) in examples.enumerated() {
            precondition(e.image.shape == shape, "InMemoryDataset: example \(i) has shape \(e.image.shape), the first has \(shape)")
            values += e.image.pixels
        }
        self.init(imageShape: shape, pixels: .floats(values), labels: examples.map(\.label), classNames: classNames)
    }

    private init(base: InMemoryDataset, indices: [Int]) {
        imageShape = base.imageShape
        classNames = base.classNames
        pixels = base.pixels
        storedLabels = base.storedLabels
        self.indices = indices
    }

    public var count: Int { indices?.count ?? storedLabels.count }

    @inline(__always) private func stored(_ index: Int) -> Int {
        precondition(index >= 0 && index < count, "InMemoryDataset: index \(index) out of range 0..<\(count)")
        return indices?[index] ?? index
    }

    public func label(_ index: Int) -> Int { storedLabels[stored(index)] }

    public func item(_ index: Int) -> Example {
        let n = imageSize
        let values = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            copyImage(index, into: buffer.baseAddress!)
            initialized = n
        }
        return Example(image: Image(channels: imageShape[0], height: imageShape[1], width: imageShape[2], pixels: values),
                       label: label(index))
    }

    public func copyImage(_ index: Int, into destination: UnsafeMutablePointer<Float>) {
        let n = imageSize, start = stored(index) * n
        switch pixels {
        case .bytes(let b):
            b.withUnsafeBufferPointer { src in
                let s = src.baseAddress! + start
                // Division (not a multiply by 1/255) gives exactly torchvision's ToTensor values.
                for k in 0..<n { destination[k] = Float(s[k]) / 255 }
            }
        case .floats(let f):
            f.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + start, count: n) }
        }
    }

    /// The items at `positions` (indices into this dataset), sharing pixel memory.
    public func subset(_ positions: [Int]) -> InMemoryDataset {
        InMemoryDataset(base: self, indices: positions.map { stored($0) })
    }

    /// The items in `range`, sharing pixel memory.
    public func subset(_ range: Range<Int>) -> InMemoryDataset { subset(Array(range)) }

    /// A random split into `(first, second)` with `round(fraction · count)` items in `first`;
    /// the permutation comes from `seed` alone.
    public func split(fraction: Double, seed: UInt64) -> (InMemoryDataset, InMemoryDataset) {
        precondition(fraction >= 0 && fraction <= 1, "InMemoryDataset.split: fraction \(fraction) outside [0, 1]")
        let order = seededPermutation(count, seed: seed)
        let cut = Int((fraction * Double(count)).rounded())
        return (subset(Array(order[..<cut])), subset(Array(order[cut...])))
    }

    /// The first `n` items of each class, in dataset order (small balanced subsets for tests).
    public func balancedPrefix(perClass n: Int) -> InMemoryDataset {
        var taken = [Int](repeating: 0, count: classCount), chosen = [Int]()
        for i in 0..<count where taken[label(i)] < n {
            taken[label(i)] += 1
            chosen.append(i)
        }
        return subset(chosen)
    }
}
