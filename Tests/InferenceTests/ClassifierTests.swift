import Foundation
import Testing
import CNN
import Checkpoint
import Datasets
import Inference
import Zoo
import _TestSupport

/// The tiny net of make_fixtures.py --classify: Conv2d(3, 8, 5, stride 4) → BatchNorm2d → ReLU →
/// AdaptiveAvgPool2d(1) → Flatten → Linear(8, 1000), with PyTorch's keys 0.*, 1.*, 5.*.
func tinyClassifierModel() -> Sequential {
    Sequential(Conv2D(inputChannels: 3, outputChannels: 8, kernelSize: 5, stride: 4), BatchNorm2D(8), ReLU(),
               AdaptiveAvgPool2D(outputSize: 1), Flatten(), Linear(inputFeatures: 8, outputFeatures: 1000))
}

func tinyClassifier() throws -> Classifier {
    let model = tinyClassifierModel()
    let report = try model.loadStateDict(readCheckpoint(URL(fileURLWithPath: TinyFixtures.path("tiny_classifier.safetensors"))))
    return Classifier(model: model, classes: 1000, loadReport: report)
}

@Suite("Classification as torchvision's ImageNet example")
struct ClassifierTests {
    /// PyTorch's top-5 on the same PNG: against the float-tensor preprocessing (what the kit computes)
    /// to 1e-4 relative, and against the lecture's PIL preprocessing (8-bit rounding after each resize
    /// pass) with the same indices and probabilities within 1%.
    @Test(arguments: ["colour.png", "grey.png"])
    func topFiveMatchesPyTorch(image: String) throws {
        let classifier = try tinyClassifier()
        #expect(classifier.loadReport?.description == "<All keys matched successfully>")
        let predictions = try classifier.classify(file: TinyFixtures.path(image), top: 5)
        let tensorPath = TopK(TinyFixtures.expected[image]!["tensor"]!)
        let pilPath = TopK(TinyFixtures.expected[image]!["pil"]!)
        #expect(predictions.map(\.index) == tensorPath.indices)
        #expect(predictions.map(\.index) == pilPath.indices)
        #expect(predictions.map(\.label) == tensorPath.indices.map { ImageNet.classNames[$0] })
        let probabilities = predictions.map(\.probability)
        #expect(isApproximatelyEqual(probabilities, tensorPath.probabilities, rtol: 1e-4, atol: 1e-7),
                "\(image): \(probabilities) vs \(tensorPath.probabilities)")
        #expect(isApproximatelyEqual(probabilities, pilPath.probabilities, rtol: 1e-2, atol: 0))
    }

    @Test func greyImageIsReplicatedIntoThreeChannels() throws {
        // PIL's convert("RGB") on an L image copies the grey value into R, G and B.
        let grey = try PNG.decode(file: TinyFixtures.path("grey.png"))
        #expect(grey.channels == 1)
        let rgb = try ImageNet.loadRGB(TinyFixtures.path("grey.png"))
        #expect(rgb.shape == [3, grey.height, grey.width])
        let plane = grey.height * grey.width
        for c in 0..<3 { #expect(Array(rgb.pixels[(c * plane)..<((c + 1) * plane)]) == grey.pixels) }
    }

    @Test func alphaIsDroppedNotComposited() {
        // RGBA (0.2, 0.4, 0.6, 0.0): PIL keeps the colour of a fully transparent pixel.
        let rgba = Image(channels: 4, height: 1, width: 1, pixels: [0.2, 0.4, 0.6, 0])
        #expect(ImageNet.convertToRGB(rgba).pixels == [0.2, 0.4, 0.6])
        let la = Image(channels: 2, height: 1, width: 2, pixels: [0.1, 0.9, 1, 0])
        #expect(ImageNet.convertToRGB(la).pixels == [0.1, 0.9, 0.1, 0.9, 0.1, 0.9])
    }

    @Test func preprocessingIsResizeCropNormalize() {
        // A constant image stays constant through resize and crop; normalization gives (v − mean) / std.
        let image = Image(channels: 3, height: 300, width: 500, repeating: 0.5)
        let x = ImageNet.preprocess(image)
        #expect(x.shape == [1, 3, 224, 224])
        let plane = 224 * 224
        let expected: [Float] = [(0.5 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (0.5 - 0.406) / 0.225]
        for c in 0..<3 {
            let values = x.scalars[(c * plane)..<((c + 1) * plane)]
            #expect(values.allSatisfy { abs($0 - expected[c]) < 1e-5 }, "channel \(c)")
        }
        #expect(ImageNet.resizeSize(forCrop: 224) == 256 && ImageNet.resizeSize(forCrop: 299) == 342)
    }

    @Test func topPredictionsRanksAndBreaksTiesByIndex() {
        let top = topPredictions([0.1, 0.4, 0.1, 0.4], k: 3, labels: ["a", "b", "c", "d"])
        #expect(top == [Prediction(index: 1, label: "b", probability: 0.4), Prediction(index: 3, label: "d", probability: 0.4),
                        Prediction(index: 0, label: "a", probability: 0.1)])
    }

    @Test func jsonLineHasIndexLabelProbability() throws {
        let line = predictionsJSON([Prediction(index: 207, label: "golden retriever", probability: 0.5),
                                    Prediction(index: 1, label: "goldfish", probability: 0.25)])
        #expect(line == #"[{"index":207,"label":"golden retriever","probability":0.5},{"index":1,"label":"goldfish","probability":0.25}]"#)
        #expect(!line.contains("\n"))
    }

    @Test func classNamesAreTorchvisionsList() {
        // Spot checks against torchvision's ImageNet categories (indices are the standard ones).
        #expect(ImageNet.classNames.count == 1000)
        #expect(ImageNet.classNames[0] == "tench" && ImageNet.classNames[1] == "goldfish")
        #expect(ImageNet.classNames[207] == "golden retriever" && ImageNet.classNames[281] == "tabby")
        #expect(ImageNet.classNames[999] == "toilet tissue")
    }

    @Test func classifierRunsTheModelInEvalMode() throws {
        // Batch norm must use the checkpoint's running statistics, not one image's own statistics.
        let classifier = try tinyClassifier()
        #expect(classifier.model.namedModules().allSatisfy { !$0.1.isTraining })
    }
}
