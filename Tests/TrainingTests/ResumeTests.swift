import Foundation
import Testing
import CNN
import Training

@Suite("Training loop, checkpoints and resume")
struct ResumeTests {
    static func tempURL(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("coursekit-training-\(UUID().uuidString)").appendingPathComponent(name)
    }

    /// One configuration of the run: SGD with momentum and weight decay, a schedule, noise from the
    /// run's random stream, and reshuffled batches every epoch.
    static func setUp(modelSeed: UInt64) -> (Sequential, SGD, ScheduledLR, TensorBatchSource, TensorBatchSource) {
        let data = syntheticBlobs(samples: 256, seed: 11)
        let test = syntheticBlobs(samples: 64, seed: 12)
        let model = smallMLP(seed: modelSeed)
        let opt = SGD(groups: ParameterGroup.decayAndNoDecay(model, weightDecay: 5e-4), learningRate: 0.05, momentum: 0.9)
        let scheduler = ScheduledLR(opt, .multiStep(milestones: [2, 4], gamma: 0.5, base: 0.05))
        return (model, opt, scheduler,
                TensorBatchSource(images: data.images, labels: data.labels, batchSize: 32, shuffle: true, seed: 5),
                TensorBatchSource(images: test.images, labels: test.labels, batchSize: 64, shuffle: false))
    }

    static func weights(_ m: Module) -> [[UInt32]] { m.stateDict().map { $0.tensor.scalars.map(\.bitPattern) } }

    @Test func resumedRunIsBitIdenticalToAnUninterruptedOne() throws {
        let epochs = 6, killedAfter = 3
        // Uninterrupted.
        let (m1, o1, s1, train, test) = Self.setUp(modelSeed: 1)
        let full = try Training.fit(model: m1, train: train, test: test, optimizer: o1, scheduler: s1, epochs: epochs,
                                    loss: oneHotMSE, options: FitOptions(seed: 42, progress: .silent))

        // Stopped after `killedAfter` epochs (the checkpoint of that epoch is on disk) ...
        let url = Self.tempURL("run.ckpt")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let (m2, o2, s2, _, _) = Self.setUp(modelSeed: 1)
        try Training.fit(model: m2, train: train, test: test, optimizer: o2, scheduler: s2, epochs: epochs, loss: oneHotMSE,
                         options: FitOptions(seed: 42, checkpoint: url, progress: .silent)) { $0.epoch + 1 == killedAfter ? .stop : .continue }
        #expect(try TrainingCheckpoint.read(from: url).epochsCompleted == killedAfter)

        // ... then resumed by a fresh process-like setup: other initial weights, another seed,
        // a disturbed global stream. Everything that matters must come from the checkpoint.
        Random.seed(999)
        let (m3, o3, s3, _, _) = Self.setUp(modelSeed: 77)
        #expect(Self.weights(m3) != Self.weights(m1))
        let resumed = try Training.fit(model: m3, train: train, test: test, optimizer: o3, scheduler: s3, epochs: epochs,
                                       loss: oneHotMSE, options: FitOptions(seed: 7, checkpoint: url, progress: .silent))

        #expect(Self.weights(m3) == Self.weights(m1), "resumed weights differ from the uninterrupted run")
        #expect(resumed.epochs.map(\.train.loss) == full.epochs.map(\.train.loss))
        #expect(resumed.steps.map(\.loss) == full.steps.map(\.loss))
        #expect(resumed.epochs.map(\.learningRate) == [0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125])
        #expect(resumed.learningRateChanges.map(\.epoch) == [2, 4])
    }

    @Test func withoutTheRandomStateTheResumedRunDiverges() throws {
        // Control for the test above: the noise layer really makes the result depend on the RNG.
        let (m1, o1, s1, train, _) = Self.setUp(modelSeed: 1)
        try Training.fit(model: m1, train: train, optimizer: o1, scheduler: s1, epochs: 2, loss: oneHotMSE,
                         options: FitOptions(seed: 42, progress: .silent))
        let (m2, o2, s2, _, _) = Self.setUp(modelSeed: 1)
        try Training.fit(model: m2, train: train, optimizer: o2, scheduler: s2, epochs: 2, loss: oneHotMSE,
                         options: FitOptions(seed: 43, progress: .silent))
        #expect(Self.weights(m1) != Self.weights(m2))
    }

    @Test func lossFallsAndAccuracyRises() throws {
        let (model, opt, scheduler, train, test) = Self.setUp(modelSeed: 3)
        let before = Training.evaluate(model: model, on: test, loss: oneHotMSE)
        let history = try Training.fit(model: model, train: train, test: test, optimizer: opt, scheduler: scheduler,
                                       epochs: 4, loss: oneHotMSE, options: FitOptions(progress: .silent))
        let after = history.epochs.last!.test!
        #expect(after.loss < before.loss / 2, "test loss \(before.loss) → \(after.loss)")
        #expect(after.top1 > 0.9, "test accuracy \(after.top1)")
        #expect(after.top5 == 1)   // 4 classes: top-5 is top-4
        #expect(history.steps.count == 4 * 8)
        #expect(model.isTraining)
    }

    @Test func plateauSchedulerIsSteppedWithTheMonitoredMetric() throws {
        let (model, opt, _, train, test) = Self.setUp(modelSeed: 4)
        // A threshold no epoch can beat after the first: every later epoch is bad, patience 0.
        let plateau = ReduceLROnPlateau(opt, .init(mode: .min, factor: 0.5, patience: 0, threshold: 0.99))
        let history = try Training.fit(model: model, train: train, test: test, optimizer: opt, scheduler: plateau, epochs: 3,
                                       loss: oneHotMSE, options: FitOptions(progress: .silent, monitor: .testLoss))
        #expect(history.epochs.map(\.learningRate) == [0.05, 0.05, 0.025])
        #expect(history.learningRateChanges.first?.reason.hasPrefix("plateau") == true)
    }

    @Test func historyAndCheckpointFilesRoundTrip() throws {
        let dir = Self.tempURL("")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (model, opt, scheduler, train, test) = Self.setUp(modelSeed: 5)
        let history = try Training.fit(model: model, train: train, test: test, optimizer: opt, scheduler: scheduler, epochs: 2,
                                       loss: oneHotMSE, options: FitOptions(checkpoint: dir.appendingPathComponent("c.ckpt"),
                                                                            history: dir.appendingPathComponent("h.json"), progress: .silent))
        #expect(try History.read(from: dir.appendingPathComponent("h.json")) == history)
        let ckpt = try TrainingCheckpoint.read(from: dir.appendingPathComponent("c.ckpt"))
        #expect(ckpt.history == history)
        #expect(ckpt.model.map(\.name) == model.stateDict().map(\.name))
        #expect(ckpt.optimizer.metadata.kind == "SGD")
        // Nothing but the two files is left behind (the temporaries were renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["c.ckpt", "h.json"])
    }
}
