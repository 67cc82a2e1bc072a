import Foundation
import Testing
import CNN
import Checkpoint
import _TestSupport

/// A safetensors file assembled by hand: 8-byte length, `header` padded to 8, then `data`.
func handMadeSafeTensors(_ header: String, _ data: [UInt8]) -> [UInt8] {
    var h = Array(header.utf8)
    while h.count % 8 != 0 { h.append(0x20) }
    var out = [UInt8]()
    withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
    return out + h + data
}

@Suite("Reading safetensors and torch.save files")
struct FormatReadingTests {
    @Test func halfAndBFloat16DecodeExactly() throws {
        // F16 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = +inf;
        // BF16 0x3F80 = 1, 0xC0A0 = -5.
        let bytes = handMadeSafeTensors(#"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}"#,
                                        [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C, 0x80, 0x3F, 0xA0, 0xC0])
        let sd = try SafeTensors.read(bytes: bytes)
        #expect(sd.keys == ["h", "b"])
        #expect(sd["h"]!.tensor().scalars == [1, -2, 0x1p-24, .infinity])
        #expect(sd["b"]!.tensor().scalars == [1, -5])
    }

    @Test func pytorchFilesAndSafetensorsAgree() throws {
        for model in ["mlp", "cnn"] {
            let pth = try readCheckpointWithFormat(Fixtures.url("\(model).pth"))
            let st = try readCheckpointWithFormat(Fixtures.url("\(model).safetensors"))
            #expect(pth.format == .pytorch && st.format == .safetensors)
            #expect(pth.stateDict.keys == st.stateDict.keys)
            for t in pth.stateDict.tensors {
                #expect(t.shape == st.stateDict[t.name]!.shape)
                #expect(t.dtype == st.stateDict[t.name]!.dtype)
                #expect(t.tensor().scalars == st.stateDict[t.name]!.tensor().scalars)
            }
        }
        let st = try readCheckpoint(Fixtures.url("mlp.safetensors"))
        #expect(st.metadata == ["source": "make_fixtures.py", "model": "mlp"])
        #expect(st["1.num_batches_tracked"]?.dtype == .i64)
        #expect(st["1.num_batches_tracked"]?.shape == [])
    }

    @Test func cnnKeysAndShapesMatchPyTorch() throws {
        let expected = Fixtures.entry("cnn")["keys"] as! [String: [Int]]
        let sd = try readCheckpoint(Fixtures.url("cnn.pth"))
        #expect(Dictionary(uniqueKeysWithValues: sd.tensors.map { ($0.name, $0.shape) }) == expected)
        #expect(sd.keys == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                            "1.num_batches_tracked", "5.weight", "5.bias"])   // PyTorch's state_dict order
    }

    @Test func stridedViewsOfOneStorage() throws {
        let sd = try readCheckpoint(Fixtures.url("views.pth"))
        let views = Fixtures.entry("views") as! [String: [String: Any]]
        #expect(sd.keys == ["base", "transposed", "row", "scalar"])
        for t in sd.tensors {
            #expect(t.shape == Fixtures.ints(views[t.name]!["shape"]))
            #expect(t.tensor().scalars == Fixtures.floats(views[t.name]!["values"]), "\(t.name)")
        }
    }

    @Test func trainingCheckpointDictUsesItsStateDict() throws {
        let sd = try readCheckpoint(Fixtures.url("wrapped.pth"))
        #expect(sd.keys == (try readCheckpoint(Fixtures.url("mlp.pth"))).keys)
        #expect(sd.notes.first?.contains("using the 'state_dict' entry") == true)
    }

    @Test func convolutionWeightsLoadInPyTorchLayout() throws {
        // Conv2d(3,4,3,pad 1) -> BatchNorm2d(4) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(64,5),
        // computed here with plain loops from the loaded tensors, against PyTorch's eval logits.
        // When the engine's Conv2D/BatchNorm2D/MaxPool2D land, the same file loads into
        // Sequential(Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, padding: 1), BatchNorm2D(4),
        // ReLU(), MaxPool2D(kernelSize: 2), Flatten(), Linear(inputFeatures: 64, outputFeatures: 5)).
        for file in ["cnn.pth", "cnn.safetensors"] {
            let sd = try readCheckpoint(Fixtures.url(file))
            let v = { (k: String) in sd[k]!.tensor().scalars }
            let e = Fixtures.entry("cnn")
            let x = Fixtures.floats(e["input"])
            let (w, b, g, beta, mean, variance) = (v("0.weight"), v("0.bias"), v("1.weight"), v("1.bias"), v("1.running_mean"), v("1.running_var"))
            let (fw, fb) = (v("5.weight"), v("5.bias"))
            var logits: [Float] = []
            for n in 0..<2 {
                var features: [Float] = []
                for f in 0..<4 {
                    var map = [Float](repeating: 0, count: 64)
                    for i in 0..<8 { for j in 0..<8 {
                        var s = b[f]
                        for c in 0..<3 { for ki in 0..<3 { for kj in 0..<3 {
                            let (y, xx) = (i + ki - 1, j + kj - 1)
                            if y >= 0 && y < 8 && xx >= 0 && xx < 8 { s += w[((f * 3 + c) * 3 + ki) * 3 + kj] * x[((n * 3 + c) * 8 + y) * 8 + xx] }
                        } } }
                        map[i * 8 + j] = max(0, (s - mean[f]) / (variance[f] + 1e-5).squareRoot() * g[f] + beta[f])
                    } }
                    for i in 0..<4 { for j in 0..<4 {
                        features.append(max(map[2 * i * 8 + 2 * j], map[2 * i * 8 + 2 * j + 1], map[(2 * i + 1) * 8 + 2 * j], map[(2 * i + 1) * 8 + 2 * j + 1]))
                    } }
                }
                for o in 0..<5 { logits.append(fb[o] + (0..<64).reduce(Float(0)) { $0 + fw[o * 64 + $1] * features[$1] }) }
            }
            let expected = Fixtures.floats(e["logits"])
            #expect(isApproximatelyEqual(logits, expected, rtol: 1e-4, atol: 1e-6), "\(file): \(String(describing: worstMismatch(logits, expected)))")
        }
    }
}
