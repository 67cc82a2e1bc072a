// The lecture's inference example as a library: a zoo model with a checkpoint loaded, eval mode,
// torchvision's preprocessing, softmax, top-K with class names. `course classify` is a thin shell
// over it, and the tests call it directly.
import CNN
import Checkpoint
import Datasets
import Foundation
import Zoo

/// One ranked class for one image.
public struct Prediction: Sendable, Equatable, Codable {
    /// The class index (the model's output position).
    public var index: Int
    /// The class name (`ImageNet.classNames[index]` for 1000-class models, "class i" otherwise).
    public var label: String
    /// softmax(logits)[index].
    public var probability: Float

    public init(index: Int, label: String, probability: Float) {
        (self.index, self.label, self.probability) = (index, label, probability)
    }
}

/// The `k` largest probabilities, best first; ties go to the lower index (as `torch.topk` on CPU
/// returns them for distinct values).
/// - Precondition: `labels.count == probabilities.count`, `k ≥ 1`.
public func topPredictions(_ probabilities: [Float], k: Int, labels: [String]) -> [Prediction] {
    precondition(labels.count == probabilities.count, "topPredictions: \(labels.count) labels for \(probabilities.count) classes")
    precondition(k >= 1, "topPredictions: k must be at least 1, got \(k)")
    let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
    return order.prefix(k).map { Prediction(index: $0, label: labels[$0], probability: probabilities[$0]) }
}

/// A model ready to classify images: eval mode, its crop size, its class names.
///
///     let classifier = try Classifier(zooModel: "resnet18", weights: "resnet18-f37072fd.pth")
///     let top5 = try classifier.classify(file: "cat.jpg", top: 5)   // [Prediction], best first
public final class Classifier {
    public let model: Module
    /// Center-crop size (the model's input side) and the shorter-side resize before it.
    public let crop: Int, resize: Int
    /// One name per output class.
    public let labels: [String]
    /// What loading the checkpoint did (PyTorch's `_IncompatibleKeys` wording).
    public let loadReport: LoadReport?

    /// Wraps a model already holding its weights; puts it in eval mode.
    /// `labels` defaults to the ImageNet names when `classes` is 1000, "class i" otherwise.
    public init(model: Module, classes: Int, crop: Int = 224, resize: Int? = nil, labels: [String]? = nil,
                loadReport: LoadReport? = nil) {
        precondition(classes >= 1, "Classifier: classes must be positive, got \(classes)")
        self.model = model
        self.crop = crop
        self.resize = resize ?? ImageNet.resizeSize(forCrop: crop)
        self.labels = labels ?? (classes == 1000 ? ImageNet.classNames : (0..<classes).map { "class \($0)" })
        precondition(self.labels.count == classes, "Classifier: \(self.labels.count) labels for \(classes) classes")
        self.loadReport = loadReport
        model.eval()
    }

    /// Builds the zoo model `name` and loads `weights` into it strictly (every key present, no
    /// extra keys, equal shapes), as `model.load_state_dict(torch.load(path))` does.
    ///
    /// - Throws: `ZooError.unknownModel`; `ClassifyError.notAnImageModel` for a model without a
    ///   3-channel square input; `CheckpointError` for a bad file; `LoadStateDictError` (missing,
    ///   unexpected keys, size mismatches) when the file does not fit the model.
    /// `classes` nil: the entry's default (1000 for ImageNet models).
    public convenience init(zooModel name: String, weights: String, classes: Int? = nil) throws {
        guard let entry = Zoo.entry(named: name) else { throw ZooError.unknownModel(name, valid: Zoo.names) }
        let shape = entry.inputShape
        guard shape.count == 3, shape[0] == 3, shape[1] == shape[2] else {
            throw ClassifyError.notAnImageModel(model: name, inputShape: shape)
        }
        let model = try Zoo.model(named: name, options: ZooOptions(classes: classes))
        let report = try model.loadStateDict(readCheckpoint(URL(fileURLWithPath: weights)), strict: true)
        model.eval()
        let outputs = model(Tensor(meta: [1] + shape)).shape   // shapes only, no arithmetic
        self.init(model: model, classes: outputs.last ?? 0, crop: shape[1], loadReport: report)
    }

    /// Class probabilities for an RGB image: softmax(model(preprocess(image))).
    public func probabilities(_ image: Image) -> [Float] {
        let x = ImageNet.preprocess(image, resize: resize, crop: crop)
        let logits = withNoGrad { model(x) }
        precondition(logits.shape == [1, labels.count],
                     "Classifier: the model returned \(logits.shape), expected [1, \(labels.count)] logits")
        return softmax(logits).scalars
    }

    /// The top `k` classes of an RGB image.
    public func classify(_ image: Image, top k: Int = 5) -> [Prediction] {
        topPredictions(probabilities(image), k: min(k, labels.count), labels: labels)
    }

    /// Reads a PNG/JPEG (converted to RGB as PIL's `convert("RGB")`) and returns its top `k` classes.
    public func classify(file: String, top k: Int = 5) throws -> [Prediction] {
        classify(try ImageNet.loadRGB(file), top: k)
    }
}

/// Errors of `course classify` that are not file-format errors.
public enum ClassifyError: Error, CustomStringConvertible, Equatable {
    /// The zoo model does not take 3 x S x S images (LeNet-5 takes 1 x 28 x 28).
    case notAnImageModel(model: String, inputShape: [Int])
    /// No `--weights`, or the file does not exist.
    case missingWeights(model: String, path: String?, cacheDirectory: String, cached: [String])

    public var description: String {
        switch self {
        case .notAnImageModel(let model, let shape):
            return "\(model) takes \(shape) inputs; classify needs a model for RGB images (3 x S x S), such as resnet18 or vgg16"
        case .missingWeights(let model, let path, let cache, let cached):
            var lines = [path.map { "weights file \($0) does not exist" } ?? "no weights given for \(model) (a randomly initialised model classifies nothing)"]
            lines.append("PyTorch keeps downloaded checkpoints in its hub cache: \(cache)")
            lines.append("  ($TORCH_HOME/hub/checkpoints, TORCH_HOME defaulting to ~/.cache/torch; e.g. resnet18-f37072fd.pth, vgg16-397923af.pth)")
            if cached.isEmpty {
                lines.append("  no \(model)-*.pth there; in Python, torchvision.models.\(model)(weights=\"DEFAULT\") downloads one")
            } else {
                lines.append("  found there: \(cached.joined(separator: ", "))")
            }
            lines.append("pass one with --weights FILE (.pth or .safetensors)")
            return lines.joined(separator: "\n")
        }
    }

    /// PyTorch's hub checkpoint folder: `$TORCH_HOME/hub/checkpoints`, where TORCH_HOME defaults
    /// to `$XDG_CACHE_HOME/torch`, and XDG_CACHE_HOME to `~/.cache`.
    public static func torchHubCheckpoints(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let torchHome = environment["TORCH_HOME"] ?? ((environment["XDG_CACHE_HOME"] ?? home + "/.cache") + "/torch")
        return torchHome + "/hub/checkpoints"
    }

    /// The missing-weights error for `model`, listing `model-*` checkpoints found in the hub cache.
    public static func missingWeights(model: String, path: String?,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) -> ClassifyError {
        let cache = torchHubCheckpoints(environment: environment)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: cache)) ?? []
        let cached = files.filter { $0.hasPrefix(model + "-") }.sorted().map { cache + "/" + $0 }
        return .missingWeights(model: model, path: path, cacheDirectory: cache, cached: cached)
    }
}

/// One JSON line per image: `[{"index": i, "label": s, "probability": p}, …]`, best first.
public func predictionsJSON(_ predictions: [Prediction]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try! encoder.encode(predictions), as: UTF8.self)
}
