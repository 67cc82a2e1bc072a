import Foundation
import Testing
import CNN
import Checkpoint
import Datasets
import Inference
import Zoo

private func scratchDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("inference-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("classify: bad input gives a clear error")
struct ClassifyBadInputTests {
    @Test func missingImageNamesTheFile() {
        let error = #expect(throws: ImageInputError.self) { try ImageNet.loadRGB("/nonexistent/cat.png") }
        #expect(error?.description == "/nonexistent/cat.png: no such file")
    }

    @Test func fileThatIsNoImageSaysWhatItStartsWith() throws {
        let dir = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.jpg")
        try Data("hello".utf8).write(to: text)
        let error = #expect(throws: ImageInputError.self) { try ImageNet.loadRGB(text.path) }
        #expect(error?.detail == "not a PNG or JPEG image (starts with 68 65 6C 6C)")
        let empty = dir.appendingPathComponent("empty.png")
        try Data().write(to: empty)
        #expect((#expect(throws: ImageInputError.self) { try ImageNet.loadRGB(empty.path) })?.detail.contains("empty file") == true)
    }

    @Test func truncatedPNGIsADataError() throws {
        let dir = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TinyFixtures.path("colour.png")))
        let cut = dir.appendingPathComponent("cut.png")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        let error = #expect(throws: DataError.self) { try ImageNet.loadRGB(cut.path) }
        #expect(error?.file == cut.path)
    }

    @Test func unknownModelListsTheValidNames() {
        let error = #expect(throws: ZooError.self) {
            try Classifier(zooModel: "resnet19", weights: TinyFixtures.path("tiny_classifier.safetensors"))
        }
        #expect(error?.description.hasPrefix("unknown model 'resnet19'; valid models: lenet5, ") == true)
    }

    @Test func modelForGreyDigitsIsRefused() {
        let error = #expect(throws: ClassifyError.self) {
            try Classifier(zooModel: "lenet5", weights: TinyFixtures.path("tiny_classifier.safetensors"))
        }
        #expect(error?.description.hasPrefix("lenet5 takes [1, 28, 28] inputs; classify needs a model for RGB images") == true)
    }

    @Test func weightsOfAnotherModelGiveTheStrictLoadReport() {
        // The tiny classifier's keys (0.weight, 1.running_mean, 5.bias, …) are not ResNet-20's.
        let error = #expect(throws: LoadStateDictError.self) {
            try Classifier(zooModel: "resnet20", weights: TinyFixtures.path("tiny_classifier.safetensors"))
        }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("Error(s) in loading state_dict for CIFARResNet:\n\tMissing key(s) in state_dict: \"conv1.weight\", \"bn1.weight\""))
        #expect(text.contains("Unexpected key(s) in state_dict: \"0.weight\", \"0.bias\""))
    }

    @Test func sameKeysWrongShapesAreSizeMismatches() throws {
        // A ResNet-20 checkpoint with 100 classes into the 10-class ResNet-20.
        let dir = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("resnet20_c100.safetensors")
        try writeCheckpoint(StateDict(module: Zoo.model(named: "resnet20", options: ZooOptions(classes: 100))), to: url)
        let error = #expect(throws: LoadStateDictError.self) { try Classifier(zooModel: "resnet20", weights: url.path) }
        #expect(error?.sizeMismatches.map(\.key) == ["fc.weight", "fc.bias"])
        #expect(error?.description.contains("size mismatch for fc.weight: copying a param with shape torch.Size([100, 64]) from checkpoint, the shape in current model is torch.Size([10, 64]).") == true)
    }

    @Test func zooModelWithKitWeightsAndTenClasses() throws {
        // The zoo path with a kit-saved checkpoint: ResNet-20 (CIFAR, 3x32x32, 10 classes).
        let dir = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("resnet20.safetensors")
        try writeCheckpoint(StateDict(module: Zoo.model(named: "resnet20")), to: url)
        let classifier = try Classifier(zooModel: "resnet20", weights: url.path)
        #expect(classifier.crop == 32 && classifier.resize == 37)   // round(32 · 256 / 224)
        #expect(classifier.labels == (0..<10).map { "class \($0)" })
        let all = try classifier.classify(file: TinyFixtures.path("grey.png"), top: 50)   // capped at the 10 classes
        #expect(Set(all.map(\.index)) == Set(0..<10))
        #expect(abs(all.map(\.probability).reduce(0, +) - 1) < 1e-5)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.probability >= $1.probability })
    }

    @Test func missingWeightsPointAtTheTorchHubCache() throws {
        let env = ["HOME": "/home/student"]
        #expect(ClassifyError.torchHubCheckpoints(environment: env) == "/home/student/.cache/torch/hub/checkpoints")
        #expect(ClassifyError.torchHubCheckpoints(environment: ["HOME": "/h", "XDG_CACHE_HOME": "/c"]) == "/c/torch/hub/checkpoints")
        #expect(ClassifyError.torchHubCheckpoints(environment: ["HOME": "/h", "TORCH_HOME": "/t"]) == "/t/hub/checkpoints")

        // A fake hub cache with one ResNet-18 checkpoint: the message lists it.
        let torchHome = scratchDirectory()
        defer { try? FileManager.default.removeItem(at: torchHome) }
        let cache = torchHome.appendingPathComponent("hub/checkpoints")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data().write(to: cache.appendingPathComponent("resnet18-f37072fd.pth"))
        try Data().write(to: cache.appendingPathComponent("vgg16-397923af.pth"))
        let text = ClassifyError.missingWeights(model: "resnet18", path: nil, environment: ["TORCH_HOME": torchHome.path]).description
        #expect(text.hasPrefix("no weights given for resnet18"))
        #expect(text.contains("PyTorch keeps downloaded checkpoints in its hub cache: \(cache.path)"))
        let found = text.split(separator: "\n").filter { $0.contains("found there:") }
        #expect(found == ["  found there: \(cache.path)/resnet18-f37072fd.pth"])   // not the cached VGG
        #expect(text.hasSuffix("pass one with --weights FILE (.pth or .safetensors)"))
        let absent = ClassifyError.missingWeights(model: "vgg19", path: "/x/vgg19.pth", environment: ["TORCH_HOME": torchHome.path])
        #expect(absent.description.hasPrefix("weights file /x/vgg19.pth does not exist"))
        #expect(absent.description.contains("torchvision.models.vgg19(weights=\"DEFAULT\") downloads one"))
    }
}
