import ArgumentParser
import Checkpoint
import Foundation
import Inference
import Zoo

/// `course classify IMAGE... --model NAME --weights FILE [--top K] [--json]`: the lecture's
/// PyTorch VGG example (resize 256, center crop 224, normalize, softmax, top-5 ImageNet labels)
/// with a zoo model and a torchvision or kit checkpoint.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify images with a zoo model and a checkpoint, as torchvision's ImageNet example does.",
        discussion: """
            Preprocessing as torchvision's evaluation transform: the image is converted to RGB (grey \
            replicated, alpha dropped, as PIL's convert("RGB")), its shorter side resized to 256 \
            (antialiased bilinear), center-cropped to 224 (342/299 for inception_v3), normalized with \
            the ImageNet mean and std. The model runs in eval mode; softmax gives the probabilities.
            With --json, one line per image, in argument order: [{"index": i, "label": s, "probability": p}, ...].
            Checkpoints: torchvision's downloads live in $TORCH_HOME/hub/checkpoints \
            (~/.cache/torch/hub/checkpoints by default), e.g. resnet18-f37072fd.pth.
            """
    )

    @Argument(help: "PNG or JPEG images.") var images: [String]
    @Option(help: "The zoo model (course summary --list shows them), e.g. resnet18, vgg16.") var model: String
    @Option(help: "The checkpoint: a torch.save .pth or a .safetensors file with the model's state_dict keys.") var weights: String?
    @Option(help: "How many classes to print per image.") var top = 5
    @Flag(help: "Print JSON, one line per image.") var json = false

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one image") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        guard Zoo.entry(named: model) != nil else { throw ValidationError(ZooError.unknownModel(model, valid: Zoo.names).description) }
    }

    func run() throws {
        guard let weights, FileManager.default.fileExists(atPath: weights) else {
            throw ClassifyCommandError(ClassifyError.missingWeights(model: model, path: weights).description)
        }
        let classifier: Classifier
        do {
            classifier = try Classifier(zooModel: model, weights: weights)
        } catch let error as LoadStateDictError {
            throw ClassifyCommandError("\(weights) does not fit \(model):\n\(error)\n(course weights load \(model) \(weights) --non-strict lists every difference)")
        }
        var failures = 0
        for path in images {
            do {
                let predictions = try classifier.classify(file: path, top: top)
                if json {
                    print(predictionsJSON(predictions))
                } else {
                    print("\(path):")
                    for (rank, p) in predictions.enumerated() {
                        print(String(format: "  %2d. %6.2f%%  %4d  %@", rank + 1, Double(p.probability) * 100, p.index, p.label))
                    }
                }
            } catch {
                // One bad image does not stop the others; the exit status reports it.
                failures += 1
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                if json { print("null") }   // keeps line i for image i
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}

/// A message for the user, printed as `Error: …` by ArgumentParser.
struct ClassifyCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
