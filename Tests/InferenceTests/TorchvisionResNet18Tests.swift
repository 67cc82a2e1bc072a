import Foundation
import Testing
import CNN
import Checkpoint
import Inference
import Zoo
import _TestSupport

/// A full-size torchvision ResNet-18 with random weights (and randomised BN statistics), saved by
/// `torch.save(model.state_dict())`. The file is 45 MB, so it is not in git: generate it with
/// `python Tests/CheckpointTests/Fixtures/make_fixtures.py --resnet18 DIR` and run the tests with
/// COURSEKIT_RESNET18_PTH=DIR/resnet18.pth. Without it these tests are skipped.
@Suite("Full-size torchvision ResNet-18 against PyTorch",
       .enabled(if: ResNet18Fixture.isPresent, "set COURSEKIT_RESNET18_PTH to resnet18.pth from make_fixtures.py --resnet18 DIR"))
struct TorchvisionResNet18Tests {
    @Test func logitsMatchPyTorch() throws {
        let model = try Zoo.model(named: "resnet18")
        let report = try model.loadStateDict(readCheckpoint(URL(fileURLWithPath: ResNet18Fixture.pth!)))
        #expect(report.description == "<All keys matched successfully>")
        #expect(report.loadedKeys.count == 122)   // 62 parameters + 60 BN buffers, torchvision's state_dict
        model.eval()
        let input = try readCheckpoint(URL(fileURLWithPath: ResNet18Fixture.beside("resnet18_input.safetensors")))["input"]!.tensor()
        let logits = withNoGrad { model(input) }
        let expected = try ResNet18Fixture.expected()
        let reference = (expected["logits"] as! [NSNumber]).map(\.floatValue)
        #expect(logits.shape == (expected["logits_shape"] as! [NSNumber]).map(\.intValue))
        let scale = reference.map(abs).max()!
        let worstAbsolute = zip(logits.scalars, reference).map { abs($0 - $1) }.max()!
        let worstRelative = maxRelativeError(logits.scalars, reference, floor: 0.01 * scale)
        print("ResNet-18 logits vs PyTorch: max |Δ| = \(worstAbsolute) (max |logit| \(scale)); max relative error \(worstRelative) over logits above 1% of the largest")
        #expect(isApproximatelyEqual(logits.scalars, reference, rtol: 1e-4, atol: 1e-4 * scale),
                "worst \(String(describing: worstMismatch(logits.scalars, reference, rtol: 1e-4, atol: 1e-4 * scale)))")
    }

    /// The whole `course classify` path on a 500x375 PNG: decode, resize 256, crop 224, normalize,
    /// forward, softmax, top-5, against PyTorch's top-5 on the same image.
    @Test func classifyMatchesPyTorchsTopFive() throws {
        let classifier = try Classifier(zooModel: "resnet18", weights: ResNet18Fixture.pth!)
        #expect(classifier.labels.count == 1000 && classifier.crop == 224 && classifier.resize == 256)
        let predictions = try classifier.classify(file: ResNet18Fixture.beside("resnet18_image.png"), top: 5)
        let classify = try ResNet18Fixture.expected()["classify"] as! [String: [String: Any]]
        let tensorPath = TopK(classify["tensor"]!), pilPath = TopK(classify["pil"]!)
        let probabilities = predictions.map(\.probability)
        print("ResNet-18 top-5: kit \(predictions.map(\.index)) \(probabilities)")
        print("  PyTorch, float preprocessing: \(tensorPath.indices) \(tensorPath.probabilities); max relative error \(maxRelativeError(probabilities, tensorPath.probabilities))")
        print("  PyTorch, PIL preprocessing:   \(pilPath.indices) \(pilPath.probabilities); max relative error \(maxRelativeError(probabilities, pilPath.probabilities))")
        #expect(predictions.map(\.index) == tensorPath.indices)
        #expect(predictions.map(\.index) == pilPath.indices)
        #expect(isApproximatelyEqual(probabilities, tensorPath.probabilities, rtol: 1e-3, atol: 0))
        #expect(isApproximatelyEqual(probabilities, pilPath.probabilities, rtol: 1e-2, atol: 0))
    }
}
