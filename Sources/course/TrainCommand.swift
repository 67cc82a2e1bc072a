import ArgumentParser
import CNN
import Datasets
import Foundation
import Training
import Zoo

/// `course train`: trains a zoo model on a real data set with SGD (momentum, weight decay),
/// an optional cosine or step schedule, a progress bar, checkpoints and a JSON history.
///
///     course train lenet5 --dataset fashion-mnist --epochs 10 --variant relu
///     course train lenet5 --epochs 10 --checkpoint run.ckpt --resume   # continues after a kill
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a zoo model on Fashion-MNIST, MNIST or CIFAR-10 (SGD with momentum; checkpoints, resume, history).",
        discussion: """
        The run is a function of its options and --seed: the batch order and augmentation come from the \
        batcher's seed and the epoch, initial weights and dropout from the run's seed, so a run killed \
        after epoch k and restarted with --resume ends with the same weights as an uninterrupted one.
        Inputs are normalised with the training set's mean and standard deviation.
        """
    )

    enum DataSetName: String, ExpressibleByArgument, CaseIterable {
        case fashionMNIST = "fashion-mnist", mnist, cifar10
    }

    enum Variant: String, ExpressibleByArgument, CaseIterable {
        case tanh, relu
    }

    enum ScheduleName: String, ExpressibleByArgument, CaseIterable {
        case constant, cosine, step
    }

    @Argument(help: "Zoo model (e.g. lenet5, resnet20, plain20; `course summary --list` lists them).")
    var model: String

    @Option(help: "Data set: fashion-mnist, mnist or cifar10.") var dataset: DataSetName = .fashionMNIST
    @Option(help: "Folder of the data files (default: the data set's environment variable or Debian's path).")
    var dataDirectory: String?
    @Option(help: "LeNet-5 only: tanh (average pooling, the paper) or relu (max pooling).") var variant: Variant?
    @Option(help: "Epochs.") var epochs = 10
    @Option(help: "Mini-batch size.") var batch = 128
    @Option(name: .customLong("lr"), help: "Learning rate.") var learningRate: Float = 0.05
    @Option(help: "SGD momentum.") var momentum: Float = 0.9
    @Option(help: "Weight decay on conv and linear weights (not on biases or batch norm).") var weightDecay: Float = 5e-4
    @Flag(help: "Nesterov momentum.") var nesterov = false
    @Option(help: "Learning-rate schedule: constant, cosine (to 0 over the epochs) or step (x0.1 at 50% and 75%).")
    var schedule: ScheduleName = .cosine
    @Option(help: "Seed of the weights, the batch order and the augmentation.") var seed: UInt64 = 0
    @Option(help: "Train on the first N (class-balanced) training images only.") var trainLimit: Int?
    @Option(help: "Checkpoint file, written after every epoch.") var checkpoint: String?
    @Flag(help: "Continue from --checkpoint when it exists.") var resume = false
    @Option(help: "Write the per-epoch and per-step history here (JSON).") var history: String?
    @Option(help: "Progress display: auto, bar, lines or silent.") var progress: String = "auto"

    func validate() throws {
        guard epochs >= 1, batch >= 1 else { throw ValidationError("--epochs and --batch must be positive") }
        guard learningRate > 0, momentum >= 0, weightDecay >= 0 else {
            throw ValidationError("--lr must be positive, --momentum and --weight-decay non-negative")
        }
        if resume && checkpoint == nil { throw ValidationError("--resume needs --checkpoint PATH") }
        if variant != nil && model != "lenet5" { throw ValidationError("--variant applies to lenet5 only") }
        if let n = trainLimit, n < 10 { throw ValidationError("--train-limit \(n) is too small (at least one image per class)") }
        guard ["auto", "bar", "lines", "silent"].contains(progress) else {
            throw ValidationError("--progress must be auto, bar, lines or silent, got '\(progress)'")
        }
    }

    func run() throws {
        let (trainSet, testSet) = try loadData()
        let name = model == "lenet5" && variant == .relu ? "lenet5_relu" : model
        guard let entry = Zoo.entry(named: name) else { throw ZooError.unknownModel(name, valid: Zoo.names) }
        guard entry.inputShape == trainSet.imageShape else {
            throw ValidationError("\(name) expects \(entry.inputShape.map(String.init).joined(separator: "x")) images, "
                                  + "\(dataset.rawValue) has \(trainSet.imageShape.map(String.init).joined(separator: "x"))")
        }
        Random.seed(seed)   // initial weights
        let net = try Zoo.model(named: name, options: ZooOptions(classes: trainSet.classCount))
        let (mean, std) = channelStatistics(trainSet)
        let normalize = Normalize(mean: mean, std: std)
        let augment: (any ImageTransform)? = dataset == .cifar10
            ? Compose([RandomCrop(size: 32, padding: 4), RandomHorizontalFlip(), normalize]) : normalize
        let train = Batcher(trainSet, batchSize: batch, seed: seed, transform: augment, prefetch: 2)
        let test = Batcher(testSet, batchSize: 500, shuffle: false, transform: normalize, prefetch: 2)
        let optimizer = SGD(groups: ParameterGroup.decayAndNoDecay(net, weightDecay: weightDecay), learningRate: learningRate,
                            momentum: momentum, nesterov: nesterov)
        let lrSchedule: LRSchedule = switch schedule {
        case .constant: .constant(learningRate)
        case .cosine: .cosine(period: epochs, base: learningRate)
        case .step: .multiStep(milestones: [epochs / 2, epochs * 3 / 4], gamma: 0.1, base: learningRate)
        }
        let mode: ProgressBar.Mode = switch progress {
        case "bar": .bar
        case "lines": .lines
        case "silent": .silent
        default: .automatic
        }
        print("\(name) (\(ProgressBar.grouped(net.parameterCount)) parameters) on \(dataset.rawValue): \(trainSet.count) training, "
              + "\(testSet.count) test images; SGD lr \(learningRate) momentum \(momentum) weight decay \(weightDecay)"
              + "\(nesterov ? " nesterov" : ""), \(lrSchedule.name), batch \(batch), seed \(seed), \(Engine.threadCount) threads")
        fflush(nil)   // the progress bar writes through FileHandle, unbuffered: flush this line before it
        let options = FitOptions(seed: seed, checkpoint: checkpoint.map { URL(fileURLWithPath: $0) }, resume: resume,
                                 history: history.map { URL(fileURLWithPath: $0) }, progress: mode)
        let start = Date()
        let result = try Training.fit(model: net, train: train, test: test, optimizer: optimizer, schedule: lrSchedule,
                                      epochs: epochs, loss: { crossEntropy(logits: $0, labels: $1) }, options: options)
        let seconds = Date().timeIntervalSince(start)
        guard let last = result.epochs.last, let accuracy = last.test?.top1 else { return }
        let best = result.epochs.compactMap { $0.test?.top1 }.max() ?? accuracy
        let trainSeconds = result.epochs.reduce(0) { $0 + $1.seconds }
        print(String(format: "final test accuracy %.2f%% after %d epochs (best %.2f%%); %.1f s of epochs (%.1f s this run)",
                     100 * accuracy, result.epochs.count, 100 * best, trainSeconds, seconds))
    }

    func loadData() throws -> (InMemoryDataset, InMemoryDataset) {
        var (train, test): (InMemoryDataset, InMemoryDataset)
        switch dataset {
        case .fashionMNIST: (train, test) = (try FashionMNIST.load(.train, directory: dataDirectory), try FashionMNIST.load(.test, directory: dataDirectory))
        case .mnist: (train, test) = (try MNIST.load(.train, directory: dataDirectory), try MNIST.load(.test, directory: dataDirectory))
        case .cifar10: (train, test) = (try CIFAR10.load(.train, directory: dataDirectory), try CIFAR10.load(.test, directory: dataDirectory))
        }
        if let n = trainLimit { train = train.balancedPrefix(perClass: max(1, n / train.classCount)) }
        return (train, test)
    }
}

/// Per-channel mean and standard deviation of a data set's pixels (for `Normalize`).
func channelStatistics(_ data: InMemoryDataset) -> (mean: [Float], std: [Float]) {
    let channels = data.imageShape[0], plane = data.imageSize / channels
    var sum = [Double](repeating: 0, count: channels), squares = sum
    var image = [Float](repeating: 0, count: data.imageSize)
    for i in 0..<data.count {
        image.withUnsafeMutableBufferPointer { data.copyImage(i, into: $0.baseAddress!) }
        for c in 0..<channels {
            for k in 0..<plane { let v = Double(image[c * plane + k]); sum[c] += v; squares[c] += v * v }
        }
    }
    let n = Double(data.count * plane)
    let mean = sum.map { $0 / n }
    let std = zip(squares, mean).map { (sq, m) in max(1e-6, (sq / n - m * m).squareRoot()) }
    return (mean.map(Float.init), std.map(Float.init))
}
