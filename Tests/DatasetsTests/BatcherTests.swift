import Foundation
import Testing
import Datasets
import CNN

/// 10 items of 1x2x2 whose pixels all equal the item number / 100, labels item mod 3.
private let tiny = InMemoryDataset(imageShape: [1, 2, 2], pixels: .floats((0..<10).flatMap { [Float](repeating: Float($0) / 100, count: 4) }),
                                   labels: (0..<10).map { $0 % 3 }, classNames: ["a", "b", "c"])

private func collect<D: Dataset>(_ batcher: Batcher<D>, epoch: Int) -> [Batch] { Array(batcher.epoch(epoch)) }

@Suite("Datasets, subsets and the batcher")
struct BatcherTests {
    @Test func batchesStackItemsAndLabels() {
        let batcher = Batcher(tiny, batchSize: 4, shuffle: false, prefetch: 0)
        let batches = collect(batcher, epoch: 0)
        #expect(batches.map(\.images.shape) == [[4, 1, 2, 2], [4, 1, 2, 2], [2, 1, 2, 2]])
        #expect(batches[1].labels == [1, 2, 0, 1])
        #expect(batches[1].images[2, 0, 1, 1] == 0.06)
        #expect(Batcher(tiny, batchSize: 4, dropLast: true).batchCount == 2)
    }

    @Test func shuffleIsAPermutationPerEpochFixedBySeed() {
        let batcher = Batcher(tiny, batchSize: 3, seed: 11, prefetch: 0)
        let e0 = collect(batcher, epoch: 0).flatMap(\.indices)
        let e1 = collect(batcher, epoch: 1).flatMap(\.indices)
        #expect(e0.sorted() == Array(0..<10) && e1.sorted() == Array(0..<10))
        #expect(e0 != e1)
        #expect(e0 == collect(Batcher(tiny, batchSize: 3, seed: 11, prefetch: 0), epoch: 0).flatMap(\.indices))
        #expect(e0 != collect(Batcher(tiny, batchSize: 3, seed: 12, prefetch: 0), epoch: 0).flatMap(\.indices))
        // Labels and pixels travel with their index.
        for batch in collect(batcher, epoch: 0) {
            for (k, i) in batch.indices.enumerated() {
                #expect(batch.labels[k] == i % 3 && batch.images[k, 0, 0, 0] == Float(i) / 100)
            }
        }
    }

    @Test func prefetchGivesBitIdenticalBatches() {
        let data = SyntheticShapes.make(count: 300, classCount: 4, size: 12, seed: 2)
        let augment = Compose(RandomCrop(size: 12, padding: 2), RandomHorizontalFlip(), ColorJitter(brightness: 0.3))
        let plain = Batcher(data, batchSize: 32, seed: 5, transform: augment, prefetch: 0)
        let ahead = Batcher(data, batchSize: 32, seed: 5, transform: augment, prefetch: 3)
        for epoch in 0..<2 {
            let a = collect(plain, epoch: epoch), b = collect(ahead, epoch: epoch)
            #expect(a.count == b.count)
            for (x, y) in zip(a, b) {
                #expect(x.labels == y.labels)
                #expect(x.images.scalars == y.images.scalars)
            }
        }
        // Random access gives the same batch as iteration.
        #expect(plain.batch(4, epoch: 1).images.scalars == collect(ahead, epoch: 1)[4].images.scalars)
    }

    @Test func abandoningAPrefetchingEpochDoesNotHang() {
        let data = SyntheticShapes.make(count: 2000, size: 16, seed: 1)
        let batcher = Batcher(data, batchSize: 10, prefetch: 2)
        for _ in 0..<20 {
            var seen = 0
            for _ in batcher.epoch(0) { seen += 1; if seen == 3 { break } }
            #expect(seen == 3)
        }
    }

    @Test func subsetSplitAndBalancedPrefix() {
        let sub = tiny.subset([7, 2, 9])
        #expect(sub.count == 3 && sub.label(0) == 1 && sub.item(2).image.pixels[0] == 0.09)
        #expect(sub.subset([2]).item(0) == tiny.item(9))
        let (a, b) = tiny.split(fraction: 0.7, seed: 4)
        #expect(a.count == 7 && b.count == 3)
        let all = ((0..<7).map { a.item($0).image.pixels[0] } + (0..<3).map { b.item($0).image.pixels[0] }).sorted()
        #expect(all == (0..<10).map { Float($0) / 100 })
        let balanced = tiny.balancedPrefix(perClass: 2)
        #expect(balanced.labelHistogram() == [2, 2, 2])
        #expect((0..<6).map { balanced.label($0) } == [0, 1, 2, 0, 1, 2])
    }

    /// Throughput of the batcher on the real Fashion-MNIST training set (recorded in the README;
    /// printed, not asserted). Checks the assembled batches against the dataset as it goes.
    @Test(.enabled(if: fashionMNISTInstalled)) func fashionMNISTEpochThroughput() throws {
        let train = try FashionMNIST.load(.train)
        for (name, transform, prefetch) in [("bytes -> float", nil, 0), ("bytes -> float, prefetch 2", nil, 2),
                                            ("PadTo 32x32 + flip", Compose(PadTo(height: 32, width: 32), RandomHorizontalFlip(probability: 0)) as (any ImageTransform)?, 0)] {
            let batcher = Batcher(train, batchSize: 128, seed: 1, transform: transform, prefetch: prefetch)
            let start = Date()
            var images = 0, checked = 0
            for batch in batcher.epoch(0) {
                images += batch.labels.count
                if checked < 3 {
                    let i = batch.indices[5]
                    #expect(batch.labels[5] == train.label(i))
                    let expected = train.item(i).image
                    let got = batch.images[5, 0, transform == nil ? 14 : 16, transform == nil ? 14 : 16]
                    #expect(got == expected[0, 14, 14])
                    checked += 1
                }
            }
            let seconds = Date().timeIntervalSince(start)
            #expect(images == 60_000)
            print("Batcher throughput (\(name)): \(Int(Double(images) / seconds)) img/s, batch 128, \(Engine.threadCount) threads")
        }
    }
}
