import Foundation
import Testing
import CNN
import Checkpoint
import _TestSupport

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("Writing checkpoints")
struct WritingTests {
    @Test func safetensorsHeaderIsTheSpecifiedLayout() {
        let sd = StateDict(tensors: [StoredTensor(name: "w", tensor: Tensor(shape: [2], values: [1, -2]))])
        let bytes = SafeTensors.encode(sd)
        let header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#   // 54 bytes, padded to 56
        #expect(Array(bytes[0..<8]) == [56, 0, 0, 0, 0, 0, 0, 0])
        #expect(String(decoding: bytes[8..<64], as: UTF8.self) == header + "  ")
        #expect(Array(bytes[64...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])   // 1.0 and -2.0, little-endian
    }

    /// Fine-tunes the fixture MLP's last layer in the kit, saves it both ways, and reads it back.
    /// With CHECKPOINT_KIT_EXPORT=<dir> it also writes kit_mlp.{safetensors,pth,json} there, which
    /// `make_fixtures.py --check` loads into PyTorch (the committed copies came from this test).
    @Test func kitTrainedModelRoundTripsThroughBothFormats() throws {
        let model = makeFixtureMLP()
        try model.loadStateDict(readCheckpoint(Fixtures.url("mlp.pth")))
        model.eval()
        let x = Fixtures.mlpInput()
        let target = Tensor.full([3, 4], 0.5)
        let head = model.layers[3] as! Linear
        let before = model(x).scalars
        for _ in 0..<20 {   // SGD on the squared error, learning rate 0.05
            model.zeroGrad()
            let d = model(x) - target
            (d * d).sum().backward()
            for p in head.parameters() { p.addInPlace(p.grad!, scale: -0.05) }
        }
        let logits = model(x).scalars
        #expect(logits != before)
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sd = StateDict(module: model, metadata: ["trained_by": "course kit"])
        #expect(sd["1.num_batches_tracked"]?.dtype == .i64)
        for name in ["kit_mlp.safetensors", "kit_mlp.pth"] {
            let url = directory.appendingPathComponent(name)
            try writeCheckpoint(sd, to: url)
            let back = try readCheckpoint(url)
            #expect(back.keys == sd.keys)
            #expect(back["1.num_batches_tracked"]?.dtype == .i64 && back["1.num_batches_tracked"]?.tensor().item() == 7)
            let fresh = makeFixtureMLP()
            #expect(try fresh.loadStateDict(back).description == "<All keys matched successfully>")
            fresh.eval()
            #expect(fresh(x).scalars == logits)
        }
        #expect(try readCheckpoint(directory.appendingPathComponent("kit_mlp.safetensors")).metadata == ["trained_by": "course kit"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)   // the atomic writers left no temporary files

        if let export = ProcessInfo.processInfo.environment["CHECKPOINT_KIT_EXPORT"] {
            let out = URL(fileURLWithPath: export)
            try writeCheckpoint(sd, to: out.appendingPathComponent("kit_mlp.safetensors"))
            try writeCheckpoint(sd, to: out.appendingPathComponent("kit_mlp.pth"))
            let json: [String: Any] = ["input_shape": x.shape, "input": x.scalars.map(Double.init), "logits": logits.map(Double.init)]
            try JSONSerialization.data(withJSONObject: json).write(to: out.appendingPathComponent("kit_mlp.json"))
        }
    }

    @Test func committedKitFilesStillMatchTheWriter() throws {
        // The files PyTorch loaded (make_fixtures.py --check) read back as the kit wrote them.
        let st = try readCheckpoint(Fixtures.url("kit_mlp.safetensors"))
        let pth = try readCheckpoint(Fixtures.url("kit_mlp.pth"))
        #expect(st.keys == pth.keys)
        for t in st.tensors { #expect(t.tensor().scalars == pth[t.name]!.tensor().scalars) }
    }

    @Test func convertKeepsDTypes() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try readCheckpoint(Fixtures.url("mlp_f16.pth"))
        for name in ["converted.safetensors", "converted.pth"] {
            let url = directory.appendingPathComponent(name)
            try writeCheckpoint(source, to: url)
            let back = try readCheckpoint(url)
            #expect(back.tensors.map(\.dtype) == source.tensors.map(\.dtype))
            #expect(back["0.weight"]?.dtype == .f16)
            for t in source.tensors { #expect(back[t.name]!.littleEndianBytes() == t.littleEndianBytes()) }
        }
        #expect(throws: CheckpointError.self) { try writeCheckpoint(source, to: directory.appendingPathComponent("x.onnx")) }
    }
}
