import Foundation
import Testing
import CNN
import Checkpoint
import _TestSupport

@Suite("Loading checkpoints into modules")
struct ModelLoadingTests {
    @Test(arguments: [("mlp.pth", "mlp"), ("mlp.safetensors", "mlp"), ("mlp_f16.pth", "mlp_f16"),
                      ("mlp_f16.safetensors", "mlp_f16"), ("mlp_bf16.safetensors", "mlp_bf16"), ("mlp_f64.safetensors", "mlp_f64")])
    func mlpLogitsMatchPyTorch(file: String, expectedKey: String) throws {
        let model = makeFixtureMLP()
        let report = try model.loadStateDict(readCheckpoint(Fixtures.url(file)))
        #expect(report.description == "<All keys matched successfully>")
        #expect(report.loadedKeys.count == 9)
        model.eval()
        let logits = model(Fixtures.mlpInput()).scalars
        let expected = Fixtures.logits(expectedKey)
        #expect(isApproximatelyEqual(logits, expected, rtol: 1e-4, atol: 1e-6), "\(file): worst \(String(describing: worstMismatch(logits, expected, rtol: 1e-4, atol: 1e-6)))")
    }

    @Test func batchNormStatisticsAndCounterAreLoaded() throws {
        let model = makeFixtureMLP()
        try model.loadStateDict(readCheckpoint(Fixtures.url("mlp.pth")))
        let bn = model.layers[1] as! EvalBatchNorm1D
        #expect(bn.batches.item() == 7)             // set to 7 by make_fixtures.py
        #expect(bn.runningVar.scalars.allSatisfy { $0 >= 0.5 && $0 < 1.5 })   // rand + 0.5
    }

    @Test func strictModeReportsLikePyTorch() throws {
        // Model: Linear(6, 8) + Linear(8, 4) named 0 and 1; checkpoint: 0, 1 (BN), 3.
        let model = Sequential(Linear(inputFeatures: 6, outputFeatures: 8), Linear(inputFeatures: 8, outputFeatures: 4))
        let sd = try readCheckpoint(Fixtures.url("mlp.safetensors"))
        let error = #expect(throws: LoadStateDictError.self) { try model.loadStateDict(sd) }
        #expect(error?.missingKeys == [])
        #expect(Set(error?.unexpectedKeys ?? []) == ["1.running_mean", "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"])
        #expect(error?.sizeMismatches.map(\.key).sorted() == ["1.bias", "1.weight"])
        let text = error?.description ?? ""
        #expect(text.hasPrefix("Error(s) in loading state_dict for Sequential:\n\tUnexpected key(s) in state_dict: "))
        #expect(text.contains("size mismatch for 1.weight: copying a param with shape torch.Size([8]) from checkpoint, the shape in current model is torch.Size([4, 8])."))
    }

    @Test func failedLoadLeavesTheModelUntouched() throws {
        let model = makeFixtureMLP()
        let before = model.stateDict().map { $0.tensor.scalars }
        var sd = try readCheckpoint(Fixtures.url("mlp.pth"))
        sd.tensors.removeAll { $0.name == "3.bias" }
        #expect(throws: LoadStateDictError.self) { try model.loadStateDict(sd) }
        #expect(model.stateDict().map { $0.tensor.scalars } == before)
    }

    @Test func nonStrictModeReportsMissingAndUnexpectedKeys() throws {
        let model = makeFixtureMLP()
        var sd = try readCheckpoint(Fixtures.url("mlp.pth"))
        sd.tensors.removeAll { $0.name == "3.bias" || $0.name == "1.num_batches_tracked" }
        sd.tensors.append(StoredTensor(name: "extra.weight", tensor: Tensor.ones([2])))
        let report = try model.loadStateDict(sd, strict: false)
        #expect(report.missingKeys == ["3.bias"])
        #expect(report.unexpectedKeys == ["extra.weight"])
        #expect(report.keptKeys == ["1.num_batches_tracked"])   // PyTorch's BN tolerates its absence
        #expect(report.description == "_IncompatibleKeys(missing_keys=['3.bias'], unexpected_keys=['extra.weight'])")
        #expect(model.stateDict().first { $0.name == "3.weight" }!.tensor.scalars == sd["3.weight"]!.tensor().scalars)
    }

    @Test func shapeMismatchIsAnErrorEvenWhenNotStrict() throws {
        let model = Sequential(Linear(inputFeatures: 6, outputFeatures: 9))
        let sd = try readCheckpoint(Fixtures.url("mlp.pth"))
        let error = #expect(throws: LoadStateDictError.self) { try model.loadStateDict(sd, strict: false) }
        #expect(error?.missingKeys == [] && error?.unexpectedKeys == [])
        #expect(error?.sizeMismatches.map(\.key) == ["0.weight", "0.bias"])
    }
}
