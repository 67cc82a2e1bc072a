// The depth experiments of L08 and L09 share these: which images (Fashion-MNIST padded to 32x32,
// or CIFAR-10 when the user points the kit at it), the CIFAR ResNets and their plain twins, the
// paper's optimiser, one training function, and saving/loading the trained nets as safetensors
// so the loss-landscape lesson can reuse the depth lesson's nets (or train them itself).
import CNN
import Checkpoint
import Datasets
import Foundation
import Training
import Zoo

/// The images the depth experiments train on.
public enum DepthDataset: String, Codable, Sendable {
    /// Fashion-MNIST, zero-padded from 28x28 to 32x32, one grey channel (the default).
    case fashionMNIST = "fashion-mnist"
    /// CIFAR-10 (3x32x32), chosen when the environment variable `CIFAR10_DIR` names its folder.
    case cifar10 = "cifar-10"

    /// CIFAR-10 when `CIFAR10_DIR` is set to a non-empty path, Fashion-MNIST otherwise.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> DepthDataset {
        (environment[CIFAR10.environmentVariable] ?? "").isEmpty ? .fashionMNIST : .cifar10
    }

    /// Image channels (the first conv's input).
    public var channels: Int { self == .cifar10 ? 3 : 1 }

    /// The first `trainCount` training and `testCount` test images as `[n, channels, 32, 32]`,
    /// each channel shifted by the training prefix's mean of that channel (the paper subtracts
    /// the per-pixel mean; a per-channel mean does the same job in front of a BN network).
    public func load(trainCount: Int, testCount: Int) throws -> (train: LabelledTensors, test: LabelledTensors) {
        precondition(trainCount > 0 && testCount > 0, "DepthDataset.load: counts \(trainCount), \(testCount) must be > 0")
        var train: LabelledTensors, test: LabelledTensors
        switch self {
        case .fashionMNIST:
            train = try FashionMNIST.load(.train).tensors(count: trainCount, padding: 2)
            test = try FashionMNIST.load(.test).tensors(count: testCount, padding: 2)
        case .cifar10:
            train = try CIFAR10.load(.train).tensors(count: trainCount)
            test = try CIFAR10.load(.test).tensors(count: testCount)
        }
        let means = channelMeans(train.images)
        subtractChannelMeans(train.images, means)
        subtractChannelMeans(test.images, means)
        return (train, test)
    }
}

/// Mean of each channel of an `[N, C, H, W]` tensor.
public func channelMeans(_ x: Tensor) -> [Float] {
    precondition(x.rank == 4, "channelMeans: expected [N, C, H, W], got \(x.shape)")
    let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    var sums = [Double](repeating: 0, count: c)
    x.withUnsafeBufferPointer { p in
        for i in 0..<n { for ch in 0..<c { var s = 0.0; let base = (i * c + ch) * plane; for k in 0..<plane { s += Double(p[base + k]) }; sums[ch] += s } }
    }
    return sums.map { Float($0 / Double(n * plane)) }
}

func subtractChannelMeans(_ x: Tensor, _ means: [Float]) {
    let (n, c, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    x.withUnsafeMutableBufferPointer { p in
        for i in 0..<n { for ch in 0..<c { let base = (i * c + ch) * plane; for k in 0..<plane { p[base + k] -= means[ch] } } }
    }
}

/// One network of the depth experiments: a CIFAR ResNet-`depth` with a shortcut option, or its
/// plain twin (`shortcut == .none`).
public struct DepthNet: Codable, Hashable, Sendable {
    public var depth: Int
    /// `CIFARShortcut.rawValue`: "A", "B" or "plain".
    public var shortcut: String

    public init(depth: Int, shortcut: CIFARShortcut) { self.depth = depth; self.shortcut = shortcut.rawValue }

    public static func plain(_ depth: Int) -> DepthNet { DepthNet(depth: depth, shortcut: .none) }
    public static func resnet(_ depth: Int) -> DepthNet { DepthNet(depth: depth, shortcut: .optionA) }

    public var kind: CIFARShortcut {
        guard let k = CIFARShortcut(rawValue: shortcut) else { preconditionFailure("DepthNet: unknown shortcut '\(shortcut)'") }
        return k
    }

    /// "plain-56", "ResNet-56" (option A), "ResNet-56 (B)".
    public var name: String {
        switch kind {
        case .none: "plain-\(depth)"
        case .optionA: "ResNet-\(depth)"
        case .optionB: "ResNet-\(depth) (B)"
        }
    }

    /// The file stem of its saved weights ("plain-56", "resnet-56", "resnet-56-b").
    public var fileStem: String {
        switch kind {
        case .none: "plain-\(depth)"
        case .optionA: "resnet-\(depth)"
        case .optionB: "resnet-\(depth)-b"
        }
    }

    /// A freshly initialised network, its weights drawn from a stream seeded by `seed`. With
    /// `zeroInitResidual`, a residual net's blocks start with their last BN γ at 0 (Goyal et al.
    /// 2017); a plain net ignores it and keeps the standard initialisation. The flag draws no
    /// random numbers, so the conv weights are the same either way.
    public func make(channels: Int, seed: UInt64, zeroInitResidual: Bool = false) -> CIFARResNet {
        Random.using(RandomStream(seed: seed)) {
            CIFARResNet(depth: depth, shortcut: kind, inputChannels: channels, zeroInitResidual: zeroInitResidual && kind != .none)
        }
    }
}

/// The paper's CIFAR recipe (He et al. 2016, Section 4.2): SGD, momentum 0.9, weight decay 1e-4,
/// batch 128, learning rate 0.1 divided by 10 at each of `milestones` (epochs from 0; the paper:
/// at 32k and 48k of 64k iterations). `warmupEpochs` > 0 first raises the rate linearly from 0.01
/// (the paper warms ResNet-110 up at 0.01: "0.1 is slightly too large to start converging"); a
/// short run needs it for the 56-layer nets too, whose first steps at 0.1 otherwise throw them off.
public func depthRecipe(epochs: Int, warmupEpochs: Int = 0, milestones: [Int] = [], batchSize: Int = 128,
                        learningRate: Float = 0.1) -> Recipe {
    precondition(warmupEpochs >= 0 && milestones.allSatisfy { $0 > warmupEpochs },
                 "depthRecipe: milestones \(milestones) must come after the \(warmupEpochs) warm-up epochs")
    let main = LRSchedule.multiStep(milestones: milestones.map { $0 - warmupEpochs }, gamma: 0.1, base: learningRate)
    let schedule = warmupEpochs > 0 ? LRSchedule.warmup(.linear(startFactor: 0.1), epochs: warmupEpochs, then: main) : main
    var recipe = Recipe(epochs: epochs, batchSize: batchSize,
                        optimizer: { SGD(model: $0, learningRate: learningRate, momentum: 0.9, weightDecay: 1e-4) },
                        scheduler: { ScheduledLR($0, schedule) })
    recipe.evaluationBatchSize = 250
    return recipe
}

/// Trains `net` (initialised from `seed`, residual nets with `zeroInitResidual` as in
/// `DepthNet.make`) on `data` with `recipe`, then recomputes its batch norms' running statistics
/// with the final weights over the training images (`Training.updateBatchNormStatistics`, in
/// batches of the recipe's size); returns the record and the trained model. L08 calls it for its
/// curves, L09 when L08's weights are missing.
///
/// Why the recomputation: with a couple of dozen steps an epoch, the running averages (momentum
/// 0.1) lag behind the weights, and in eval mode the lag can dominate. Measured at peak 0.03,
/// seed 0: plain-56 had 84.8% training error in eval mode with the running averages, 48.2% with
/// recomputed statistics and 53.8% on the last epoch's own batches (training mode); the ResNets
/// moved by under 0.6 points. The per-epoch curves in `run` are measured during training, with
/// the running averages of that moment.
public func trainDepthNet(_ net: DepthNet, channels: Int, data: (train: LabelledTensors, test: LabelledTensors),
                          recipe: Recipe, seed: UInt64, zeroInitResidual: Bool = false) -> (run: TrainingRun, model: CIFARResNet) {
    let model = net.make(channels: channels, seed: seed, zeroInitResidual: zeroInitResidual)
    let run = trainRun(net.name, model, on: data.train, test: data.test, recipe: recipe, seed: seed &+ 1)
    Training.updateBatchNormStatistics(model: model, on: TensorBatchSource(images: data.train.images, labels: data.train.labels,
                                                                           batchSize: recipe.batchSize, shuffle: false))
    model.eval()
    return (run, model)
}

/// Top-1 error and mean cross-entropy of `model` in eval mode (BN with its running statistics)
/// on every image of `data`, in batches of 250: the depth experiments' final training error, on
/// the whole training set rather than the per-epoch sample of `Recipe.trainEvaluationCount`.
public func depthEvaluation(_ model: Module, on data: LabelledTensors) -> (error: Double, loss: Double) {
    let source = TensorBatchSource(images: data.images, labels: data.labels, batchSize: 250, shuffle: false)
    let m = Training.evaluate(model: model, on: source, loss: { crossEntropy(logits: $0, labels: $1) })
    return (1 - m.top1, m.loss)
}

/// Writes `model`'s state dict to `folder/<stem>.safetensors` (atomically), with the net's
/// description in the metadata.
public func saveDepthNet(_ model: CIFARResNet, _ net: DepthNet, dataset: DepthDataset, in folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let dict = StateDict(module: model, metadata: ["depth": "\(net.depth)", "shortcut": net.shortcut, "dataset": dataset.rawValue])
    try SafeTensors.write(dict, to: folder.appendingPathComponent("\(net.fileStem).safetensors"))
}

/// The net saved by `saveDepthNet` in `folder`, or nil if its file is absent. Throws if the file
/// exists but was trained on another dataset or does not fit the architecture.
public func loadDepthNet(_ net: DepthNet, dataset: DepthDataset, from folder: URL) throws -> CIFARResNet? {
    let url = folder.appendingPathComponent("\(net.fileStem).safetensors")
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    let dict = try SafeTensors.read(contentsOf: url)
    if let stored = dict.metadata["dataset"], stored != dataset.rawValue {
        throw CheckpointError.invalidHeader(file: url.path, message: "trained on \(stored), but this run uses \(dataset.rawValue)")
    }
    let model = net.make(channels: dataset.channels, seed: 0)
    try model.loadStateDict(dict)
    return model
}

/// The L2 norm of each conv and linear weight's gradient after one forward/backward pass of
/// cross-entropy on `(images, labels)` in training mode, in forward order (names as state_dict
/// keys; projection shortcuts' 1x1 convs excluded so plain and residual nets line up).
public func weightGradientNorms(_ model: Module, images: Tensor, labels: [Int]) -> [(name: String, norm: Double)] {
    model.train()
    model.zeroGrad()
    crossEntropy(logits: model(images), labels: labels).backward()
    let norms = model.namedParameters().filter { $0.tensor.rank >= 2 && !$0.name.contains("downsample") }.map { p -> (String, Double) in
        let g = p.tensor.grad?.scalars ?? []
        return (p.name, sqrt(g.reduce(0.0) { $0 + Double($1) * Double($1) }))
    }
    model.zeroGrad()
    return norms
}

/// How much the depth experiments train, per run mode: L08 trains with it and L09 retrains with
/// the same numbers when L08's weights are missing.
public struct DepthBudget: Codable, Hashable, Sendable {
    /// The depths trained (the first and last form the shallow/deep pair).
    public var depths: [Int]
    public var trainCount: Int
    public var testCount: Int
    /// Training images the per-epoch training error is measured on (eval mode); the final
    /// training error (`depthEvaluation`) uses all `trainCount`.
    public var evalCount: Int
    public var epochs: Int
    public var batchSize: Int
    /// The peak learning rate (the paper: 0.1 at batch 128).
    public var learningRate: Float
    /// Epochs of linear warm-up from a tenth of `learningRate`.
    public var warmupEpochs: Int
    /// Epochs (from 0) at which the rate is divided by 10.
    public var milestones: [Int]
    /// Offsets added to the lesson's seed for the extra runs of the residual pair (the first
    /// run, offset 0, is the one whose curves and weights the lesson shows and saves).
    public var residualSeedOffsets: [UInt64]
    /// The same for the plain pair (its gap is tens of points, so one seed usually settles it).
    public var plainSeedOffsets: [UInt64]

    public init(depths: [Int], trainCount: Int, testCount: Int, evalCount: Int, epochs: Int, batchSize: Int = 128,
                learningRate: Float = 0.1, warmupEpochs: Int, milestones: [Int], residualSeedOffsets: [UInt64] = [0],
                plainSeedOffsets: [UInt64] = [0]) {
        precondition(depths.count >= 2 && trainCount > 0 && epochs > 0 && batchSize > 0 && learningRate > 0,
                     "DepthBudget: depths \(depths), trainCount \(trainCount), epochs \(epochs), batch \(batchSize), rate \(learningRate)")
        self.depths = depths; self.trainCount = trainCount; self.testCount = testCount; self.evalCount = evalCount
        self.epochs = epochs; self.batchSize = batchSize; self.learningRate = learningRate
        self.warmupEpochs = warmupEpochs; self.milestones = milestones
        self.residualSeedOffsets = residualSeedOffsets.first == 0 ? residualSeedOffsets : [0] + residualSeedOffsets
        self.plainSeedOffsets = plainSeedOffsets.first == 0 ? plainSeedOffsets : [0] + plainSeedOffsets
    }

    /// Quick (tests): 8 and 14 layers, 384 images, 1 epoch at batch 64 and rate 0.05; both pairs
    /// once more with the seed offset by 1000.
    ///
    /// Full (the handout): 20 and 56 layers, 1,536 images, 8 epochs at batch 64 (24 steps an
    /// epoch, 192 in all) and a peak rate of 0.02: 3 epochs of warm-up (0.002, 0.008, 0.014), then
    /// 0.02, divided by 10 at epoch 6; the residual pair is trained with two more seeds (offsets
    /// 1000 and 2000), because at this budget its order changes with the seed; the plain pair with
    /// one seed. Why so few: on the slowest two-core machine measured, one extra seed of the pair
    /// costs about 190 s (ResNet-56 alone 145 s), and the cold `make` of all lessons must stay
    /// under half an hour there. The eight seeds below chose the rate, once.
    ///
    /// Why 0.02, measured on this engine over seed offsets 0-7000 (final training error, eval
    /// mode, all 1,536 images; gap = ResNet-56 − ResNet-20 in points):
    /// - Peak 0.05 (the paper's ratio of rate to batch, 0.1 at 128): gaps +1.8, −1.9, −1.2, +25.8,
    ///   +0.7, +5.6, +3.0, +3.9 (median +2.4, mean +4.7). ResNet-56's loss jumped back up at the
    ///   peak rate at offsets 3000 (epoch mean 1.14 -> 2.49, ending at 38.2%), 5000 (1.26 -> 1.60)
    ///   and 7000 (1.33 -> 1.58).
    /// - Peak 0.02: gaps +0.3, +1.8, −2.7, +1.2, −3.7, −0.3, +4.2, −2.7 (median 0.0, mean −0.2);
    ///   one bump (offset 6000, 0.85 -> 1.10), no divergence.
    /// Recomputing BN's running statistics with the final weights (PyTorch's `update_bn`) moved
    /// these errors by under 0.6 points (except the diverged run), so the gaps are not an artefact
    /// of stale running averages.
    ///
    /// Earlier tries, on earlier engines: 16 epochs at 0.05 (÷10 at 12) gave 10.2 vs 5.0% and 6.2
    /// vs 5.1% (deep vs shallow); batch 128 at 0.1 with a second ÷10 at epoch 7, 20.8% vs 17.2% (on
    /// the first 400 images); batch 64 at 0.1 threw ResNet-56 off (30.9%); zero-initialised
    /// residual γ (`zeroInitResidual`) slowed both ResNets (at batch 64 and 0.05 ResNet-20 ended at
    /// 40.8%: option A's zero-padded channels start at 0 and grow only as the γ do); batch 32 at
    /// 0.025 and a peak of 0.03 at batch 64 kept the deeper ResNet 2-3 points behind on two seeds.
    /// Plain-56 vs plain-20 ended 30-40 points apart in every setting.
    ///
    /// Paper: 20/32/44/56 layers, 4,096 images (500 of them for the per-epoch training error,
    /// 500 test images), the full mode's schedule (8 epochs at batch 64, 3 of warm-up to 0.02,
    /// ÷10 at epoch 6) on 2.7 times the images: 64 steps an epoch, 512 in all; one seed. About
    /// three quarters of an hour for the eight nets on the slowest two-core machine measured.
    /// The paper's own batch 128 at 0.1 was tried first, on 5,000 images for 8 epochs (320 steps,
    /// 1 epoch of warm-up, ÷10 at epochs 4 and 6): final training errors plain-20 21.2%, -32
    /// 25.4%, -44 43.0%; ResNet-20 20.1%, -32 29.1%, -44 31.5% (the 56-layer pair was not
    /// finished). At that rate so short a run degraded the ResNets too, so paper mode keeps the
    /// rate that the full mode chose. The paper's 64k steps of 128 augmented images are 250 times
    /// more; a user with the hours can raise `trainCount` and `epochs` here.
    public static func forMode(quick: Bool, paper: Bool) -> DepthBudget {
        if quick {
            return DepthBudget(depths: [8, 14], trainCount: 384, testCount: 200, evalCount: 200, epochs: 1, batchSize: 64,
                               learningRate: 0.05, warmupEpochs: 0, milestones: [], residualSeedOffsets: [0, 1000],
                               plainSeedOffsets: [0, 1000])
        }
        if paper {
            return DepthBudget(depths: [20, 32, 44, 56], trainCount: 4_096, testCount: 500, evalCount: 500, epochs: 8, batchSize: 64,
                               learningRate: 0.02, warmupEpochs: 3, milestones: [6])
        }
        return DepthBudget(depths: [20, 56], trainCount: 1_536, testCount: 400, evalCount: 400, epochs: 8, batchSize: 64,
                           learningRate: 0.02, warmupEpochs: 3, milestones: [6], residualSeedOffsets: [0, 1000, 2000])
    }

    public var shallow: Int { depths.first! }
    public var deep: Int { depths.last! }
    /// Optimiser steps per epoch (the last batch may be smaller).
    public var stepsPerEpoch: Int { (trainCount + batchSize - 1) / batchSize }

    /// The paper's recipe for this budget, with the training-error measurement limited to `evalCount`.
    public var recipe: Recipe {
        var r = depthRecipe(epochs: epochs, warmupEpochs: warmupEpochs, milestones: milestones, batchSize: batchSize,
                            learningRate: learningRate)
        r.trainEvaluationCount = evalCount
        return r
    }

    /// The learning rate of each epoch under `recipe`'s schedule.
    public var epochRates: [Double] {
        let r = recipe
        let optimizer = r.makeOptimizer(Random.using(RandomStream(seed: 0)) { Linear(inputFeatures: 1, outputFeatures: 1) })
        let scheduler = r.makeScheduler?(optimizer)
        return (0..<epochs).map { _ in
            defer { _ = scheduler?.step(metric: nil) }
            return Double(optimizer.groups[0].learningRate)
        }
    }

    /// The data of this budget.
    public func load(_ dataset: DepthDataset) throws -> (train: LabelledTensors, test: LabelledTensors) {
        try dataset.load(trainCount: trainCount, testCount: testCount)
    }

    /// Plain and residual (option A) nets of the shallow and the deep depth.
    public var pairNets: [DepthNet] { [shallow, deep].flatMap { [DepthNet.plain($0), DepthNet.resnet($0)] } }
}
