import Foundation
import Testing
import CNN
import Checkpoint
import Zoo
import _TestSupport

/// PyTorch-made checkpoints loaded into the engine's own layers, and kit-trained zoo models saved
/// for PyTorch (Fixtures/make_fixtures.py writes the first and checks the second).
@Suite("Checkpoints in the engine's layers")
struct KitLayersLoadingTests {
    /// make_fixtures.py's `nn.Sequential(Conv2d(3, 4, 3, padding=1), BatchNorm2d(4), ReLU(),
    /// MaxPool2d(2), Flatten(), Linear(64, 5))`, in kit modules with the same indices as keys.
    static func tinyCNN() -> Sequential {
        Sequential(Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1), BatchNorm2D(4), ReLU(),
                   MaxPool2D(kernelSize: 2), Flatten(), Linear(inputFeatures: 64, outputFeatures: 5))
    }

    @Test(arguments: ["cnn.pth", "cnn.safetensors"])
    func tinyCNNLogitsMatchPyTorch(file: String) throws {
        let model = Self.tinyCNN()
        let report = try model.loadStateDict(readCheckpoint(Fixtures.url(file)))
        #expect(report.description == "<All keys matched successfully>")
        // conv weight + bias, BN weight, bias, running mean, running var, counter, linear weight + bias
        #expect(report.loadedKeys.count == 9)
        let bn = model.layers[1] as! BatchNorm2D
        #expect(bn.stateDict().first { $0.name == "num_batches_tracked" }?.tensor.item() == 7)   // set by the script
        model.eval()
        let e = Fixtures.entry("cnn")
        let x = Tensor(shape: Fixtures.ints(e["input_shape"]), values: Fixtures.floats(e["input"]))
        let logits = withNoGrad { model(x) }
        let expected = Fixtures.logits("cnn")
        #expect(logits.shape == [2, 5])
        #expect(isApproximatelyEqual(logits.scalars, expected, rtol: 1e-4, atol: 1e-6),
                "\(file): worst \(String(describing: worstMismatch(logits.scalars, expected, rtol: 1e-4, atol: 1e-6)))")
    }

    @Test func tinyCNNInTrainingModeUsesBatchStatisticsInstead() throws {
        // The same weights in training mode normalise with the batch's own statistics, so the
        // logits must differ from PyTorch's eval-mode ones: eval() is what makes the match above.
        let model = Self.tinyCNN()
        try model.loadStateDict(readCheckpoint(Fixtures.url("cnn.pth")))
        let e = Fixtures.entry("cnn")
        let x = Tensor(shape: Fixtures.ints(e["input_shape"]), values: Fixtures.floats(e["input"]))
        let logits = withNoGrad { model(x) }.scalars
        #expect(!isApproximatelyEqual(logits, Fixtures.logits("cnn"), rtol: 1e-2, atol: 1e-3))
    }

    /// ResNet-20 (zoo, CIFAR layout, option-A shortcuts) after 3 SGD steps on random data, saved as
    /// safetensors and read back. With CHECKPOINT_KIT_EXPORT=<dir> it also writes
    /// kit_resnet20.safetensors and kit_resnet20.json (input, eval logits) there, which
    /// `make_fixtures.py --check <dir>` loads into its PyTorch ResNet-20 with strict load_state_dict.
    @Test func kitTrainedResNet20RoundTripsThroughSafetensors() throws {
        Random.seed(20)
        let model = try Zoo.model(named: "resnet20")
        let x = Tensor.randomNormal([8, 3, 32, 32], seed: 21)
        let labels = (0..<8).map { $0 % 10 }
        let sgd = SGD(model: model, learningRate: 0.1, momentum: 0.9)
        model.train()
        var losses: [Float] = []
        for _ in 0..<3 {
            model.zeroGrad()
            let loss = crossEntropy(logits: model(x), labels: labels)
            losses.append(loss.item())
            loss.backward()
            sgd.step()
        }
        #expect(losses[2] < losses[0])   // training moved the weights (and the BN running statistics)
        model.eval()
        let probe = Tensor.randomNormal([2, 3, 32, 32], seed: 22)
        let logits = withNoGrad { model(probe) }.scalars

        let sd = StateDict(module: model, metadata: ["trained_by": "course kit", "model": "resnet20"])
        #expect(sd["bn1.num_batches_tracked"]?.dtype == .i64 && sd["bn1.num_batches_tracked"]?.tensor().item() == 3)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("kit_resnet20.safetensors")
        try writeCheckpoint(sd, to: url)
        let fresh = try Zoo.model(named: "resnet20")
        #expect(try fresh.loadStateDict(readCheckpoint(url)).description == "<All keys matched successfully>")
        // Every parameter and buffer comes back bit for bit…
        let saved = model.stateDict(), loaded = fresh.stateDict()
        #expect(saved.map(\.name) == loaded.map(\.name))
        for (a, b) in zip(saved, loaded) { #expect(a.tensor.scalars == b.tensor.scalars, "\(a.name)") }
        // …so the logits agree up to the summation order of parallel kernels under load.
        fresh.eval()
        let again = withNoGrad { fresh(probe) }.scalars
        #expect(isApproximatelyEqual(again, logits, rtol: 1e-5, atol: 1e-6))

        if let export = ProcessInfo.processInfo.environment["CHECKPOINT_KIT_EXPORT"] {
            let out = URL(fileURLWithPath: export)
            try writeCheckpoint(sd, to: out.appendingPathComponent("kit_resnet20.safetensors"))
            let json: [String: Any] = ["input_shape": probe.shape, "input": probe.scalars.map(Double.init),
                                       "logits": logits.map(Double.init), "losses": losses.map(Double.init)]
            try JSONSerialization.data(withJSONObject: json).write(to: out.appendingPathComponent("kit_resnet20.json"))
        }
    }
}
