import CNN
import Datasets
import Foundation
import Testing
import Training
import Zoo

/// LeNet-5 trained for real on a slice of Fashion-MNIST (Debian's dataset-fashion-mnist files),
/// through the Datasets batcher and `Training.fit`.
/// Whether the Fashion-MNIST files are where `FashionMNIST.load` looks.
private let fashionMNISTInstalled: Bool = {
    let dir = FashionMNIST.resolvedDirectory()
    return ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"].allSatisfy {
        FileManager.default.fileExists(atPath: "\(dir)/\($0).gz") || FileManager.default.fileExists(atPath: "\(dir)/\($0)")
    }
}()

@Suite("LeNet-5 on Fashion-MNIST", .enabled(if: fashionMNISTInstalled, "needs Debian's dataset-fashion-mnist (or FASHION_MNIST_DIR)"))
struct LeNetFashionMNISTTests {
    /// 6,000 training images (600 per class) and 1,000 held-out test images (100 per class).
    static func subsets() throws -> (train: InMemoryDataset, test: InMemoryDataset) {
        (try FashionMNIST.load(.train).balancedPrefix(perClass: 600), try FashionMNIST.load(.test).balancedPrefix(perClass: 100))
    }

    /// Fashion-MNIST's training-set pixel mean and standard deviation.
    static let normalize = Normalize(mean: [0.2860], std: [0.3530])

    static func loss(_ logits: Tensor, _ labels: [Int]) -> Tensor { crossEntropy(logits: logits, labels: labels) }

    @Test("one epoch on 6,000 images: loss falls, held-out accuracy passes 70%", arguments: LeNetVariant.allCases)
    func oneEpochLearns(variant: LeNetVariant) throws {
        let (trainSet, testSet) = try Self.subsets()
        #expect(trainSet.count == 6_000 && testSet.count == 1_000)
        let net = Random.using(RandomStream(seed: 1)) { LeNet5(variant: variant) }
        let train = Batcher(trainSet, batchSize: 32, seed: 1, transform: Self.normalize, prefetch: 0)
        let test = Batcher(testSet, batchSize: 250, shuffle: false, transform: Self.normalize, prefetch: 0)
        let before = Training.evaluate(model: net, on: test, loss: Self.loss)
        let history = try Training.fit(model: net, train: train, test: test,
                                       optimizer: SGD(model: net, learningRate: 0.02, momentum: 0.9), epochs: 1,
                                       loss: Self.loss, options: FitOptions(seed: 1, progress: .silent))
        let steps = history.steps.map { Double($0.loss) }
        #expect(steps.count == 188)
        let first = steps.prefix(10).reduce(0, +) / 10, last = steps.suffix(10).reduce(0, +) / 10
        #expect(first > 2.0, "the first steps are near chance level (ln 10 = 2.30), got \(first)")
        #expect(last < first / 2, "mean loss of the last 10 steps \(last) vs the first 10 \(first)")
        let after = try #require(history.epochs.last?.test)
        #expect(before.top1 < 0.2, "untrained accuracy \(before.top1)")
        #expect(after.loss < before.loss / 2)
        #expect(after.top1 > 0.70, "\(variant) LeNet-5: held-out accuracy \(after.top1) after one epoch")
    }

    @Test("a batcher-driven run with augmentation resumed after 2 of 4 epochs ends bit-identical")
    func resumeWithBatcherIsBitIdentical() throws {
        let (trainSet, testSet) = try Self.subsets()
        let small = trainSet.balancedPrefix(perClass: 40), held = testSet.balancedPrefix(perClass: 20)
        // Augmentation drawn per (seed, epoch, item): the resumed half must redraw the same crops and flips.
        let augment = Compose(RandomCrop(size: 28, padding: 2), RandomHorizontalFlip())
        func setUp(_ seed: UInt64) -> (LeNet5, SGD, ScheduledLR, Batcher<InMemoryDataset>, Batcher<InMemoryDataset>) {
            // A private stream: tests run in parallel and would otherwise share the default one.
            let net = Random.using(RandomStream(seed: seed)) { LeNet5(variant: .modern) }
            let opt = SGD(groups: ParameterGroup.decayAndNoDecay(net, weightDecay: 5e-4), learningRate: 0.05, momentum: 0.9)
            return (net, opt, ScheduledLR(opt, .cosine(period: 4, base: 0.05)),
                    Batcher(small, batchSize: 50, seed: 3, transform: augment, prefetch: 2),
                    Batcher(held, batchSize: 100, shuffle: false, prefetch: 0))
        }
        func weights(_ m: Module) -> [[UInt32]] { m.stateDict().map { $0.tensor.scalars.map(\.bitPattern) } }

        let (m1, o1, s1, train, test) = setUp(1)
        let full = try Training.fit(model: m1, train: train, test: test, optimizer: o1, scheduler: s1, epochs: 4,
                                    loss: Self.loss, options: FitOptions(seed: 9, progress: .silent))

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coursekit-lenet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("run.ckpt")
        let (m2, o2, s2, _, _) = setUp(1)
        try Training.fit(model: m2, train: train, test: test, optimizer: o2, scheduler: s2, epochs: 4, loss: Self.loss,
                         options: FitOptions(seed: 9, checkpoint: url, progress: .silent)) { $0.epoch == 1 ? .stop : .continue }
        #expect(try TrainingCheckpoint.read(from: url).epochsCompleted == 2)

        // A fresh start: other initial weights, a fresh batcher value; only the checkpoint carries state.
        let (m3, o3, s3, train3, test3) = setUp(55)
        #expect(weights(m3) != weights(m1))
        let resumed = try Training.fit(model: m3, train: train3, test: test3, optimizer: o3, scheduler: s3, epochs: 4,
                                       loss: Self.loss, options: FitOptions(seed: 9, checkpoint: url, progress: .silent))
        #expect(weights(m3) == weights(m1), "resumed LeNet-5 weights differ from the uninterrupted run")
        #expect(resumed.steps.map(\.loss) == full.steps.map(\.loss))
        #expect(resumed.epochs.map { $0.test?.top1 } == full.epochs.map { $0.test?.top1 })

        // Control: the augmentation matters, so a different batcher seed ends elsewhere.
        let (m4, o4, s4, _, _) = setUp(1)
        try Training.fit(model: m4, train: Batcher(small, batchSize: 50, seed: 4, transform: augment, prefetch: 2), test: test,
                         optimizer: o4, scheduler: s4, epochs: 4, loss: Self.loss, options: FitOptions(seed: 9, progress: .silent))
        #expect(weights(m4) != weights(m1))
    }
}
