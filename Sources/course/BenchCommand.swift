import ArgumentParser
import CNN
import Foundation

/// `course bench`: speed measurements of the engine (never run as timed tests).
/// Each measurement is a subcommand; add new ones to `subcommands`. Without one, `all` runs the
/// whole reference list and writes Output/bench.json.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed (medians over repetitions after a warm-up).",
        subcommands: [BenchSuite.self, BenchConv.self, BenchTrain.self],
        defaultSubcommand: BenchSuite.self
    )
}

/// Wall-clock seconds of `body`: the median of `repetitions` runs, after one untimed warm-up run
/// unless `warmup` is false.
func medianSeconds(repetitions: Int, warmup: Bool = true, _ body: () -> Void) -> Double {
    if warmup { body() }
    var times: [Double] = []
    for _ in 0..<max(1, repetitions) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    return median(times)
}

func median(_ values: [Double]) -> Double {
    let v = values.sorted()
    return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
}

/// A kernel setting given on the command line by name: the names in `allValueStrings` in the
/// order of the raw values (0, 1, 2, ...).
package protocol NamedChoiceArgument: ExpressibleByArgument, RawRepresentable where RawValue == Int {}

extension NamedChoiceArgument {
    package init?(argument: String) {
        guard let i = Self.allValueStrings.firstIndex(of: argument) else { return nil }
        self.init(rawValue: i)
    }
    package var defaultValueDescription: String { Self.allValueStrings[rawValue] }
}

extension ConvThreading: NamedChoiceArgument {
    public static var allValueStrings: [String] { ["auto", "per-image", "blas"] }
}

extension WinogradConvolution: NamedChoiceArgument {
    public static var allValueStrings: [String] { ["auto", "always", "never"] }
}

extension DirectConvolution: NamedChoiceArgument {
    public static var allValueStrings: [String] { ["auto", "always", "never"] }
}

/// `course bench conv`: GFLOP/s of four convolution layers of the lecture's networks next to
/// the GEMM they are built on.
struct BenchConv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "GFLOP/s of conv2d forward and forward+backward (batch 32) next to sgemm, measured in the same run.",
        discussion: """
        FLOPs = 2 x multiply-adds. Forward+backward counts 3x the forward FLOPs (input gradient, \
        weight gradient and forward are one GEMM-sized product each; the bias gradient is not counted), \
        and computes all three gradients, also for AlexNet conv1, whose image gradient a network would skip.
        """
    )

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Timed repetitions per measurement (the median is reported).")
    var repetitions = 5

    @Option(help: "Images per batch.")
    var batch = 32

    @Option(help: "How convolutions use the cores: auto, per-image (parallel images, 1-thread BLAS) or blas (threaded BLAS per image).")
    var threading: ConvThreading = .automatic

    @Option(help: "3x3 stride-1 convolutions: auto, always (the direct kernel where it applies) or never (im2col + GEMM).")
    var direct: DirectConvolution = .automatic
    @Option(help: "3x3 stride-1 convolutions that do not take the direct kernel: auto (Winograd F(2x2, 3x3) where it pays), always (wherever it applies) or never.")
    var winograd: WinogradConvolution = .automatic

    @Option(help: "Target width B·P of the batched convolution GEMMs (1: one image per GEMM).")
    var gemmWidth: Int?

    @Option(help: "Size of the square sgemm reference product.")
    var gemmSize = 2048

    @Option(help: "Measure only these layers (comma-separated names, e.g. vgg_64x64_56).")
    var only: String?

    func validate() throws {
        let known = Self.layers.map(\.name)
        for name in selectedNames where !known.contains(name) {
            throw ValidationError("unknown layer '\(name)'; the layers are \(known.joined(separator: ", "))")
        }
        guard repetitions >= 1, batch >= 1, gemmSize >= 1 else {
            throw ValidationError("--repetitions, --batch and --gemm-size must be positive")
        }
    }

    private var selectedNames: [String] {
        only.map { $0.split(separator: ",").map { String($0) } } ?? Self.layers.map(\.name)
    }

    struct Layer {
        let name: String, c: Int, hw: Int, f: Int, k: Int, stride: Int, padding: Int
    }

    static let layers = [
        Layer(name: "alexnet_conv1", c: 3, hw: 227, f: 96, k: 11, stride: 4, padding: 0),
        Layer(name: "vgg_64x64_56", c: 64, hw: 56, f: 64, k: 3, stride: 1, padding: 1),
        Layer(name: "resnet_256x256_14", c: 256, hw: 14, f: 256, k: 3, stride: 1, padding: 1),
        Layer(name: "conv1x1_256x64_56", c: 256, hw: 56, f: 64, k: 1, stride: 1, padding: 0),
        // The three stages of the CIFAR ResNets (run them with --batch 128, as in training).
        Layer(name: "cifar_16x16_32", c: 16, hw: 32, f: 16, k: 3, stride: 1, padding: 1),
        Layer(name: "cifar_32x32_16", c: 32, hw: 16, f: 32, k: 3, stride: 1, padding: 1),
        Layer(name: "cifar_64x64_8", c: 64, hw: 8, f: 64, k: 3, stride: 1, padding: 1),
        // DenseNet-BC (k = 12): the 3x3 conv after each bottleneck (4k = 48 -> k channels), stages 1 and 3.
        Layer(name: "densebc_48x12_32", c: 48, hw: 32, f: 12, k: 3, stride: 1, padding: 1),
        Layer(name: "densebc_48x12_8", c: 48, hw: 8, f: 12, k: 3, stride: 1, padding: 1),
        // DenseNet-121 (k = 32): the 3x3 conv of a dense layer (128 -> 32) in the 28x28 block.
        Layer(name: "densenet_128x32_28", c: 128, hw: 28, f: 32, k: 3, stride: 1, padding: 1),
        // LeNet-5's C1 (1 -> 6, 5x5 on 32x32) and C3 (6 -> 16, 5x5 on 14x14).
        Layer(name: "lenet_c1", c: 1, hw: 32, f: 6, k: 5, stride: 1, padding: 0),
        Layer(name: "lenet_c3", c: 6, hw: 14, f: 16, k: 5, stride: 1, padding: 0),
    ]

    struct Result {
        let name: String
        let forwardGflops: Double
        let forwardBackwardGflops: Double
    }

    func run() throws {
        ConvSettings.threading = threading
        ConvSettings.direct = direct
        ConvSettings.winograd = winograd
        if let gemmWidth { ConvSettings.gemmWidth = max(1, gemmWidth) }
        // Other work on the machine changes the speed from minute to minute, so sgemm is timed
        // before and after every layer and the ratios use the median of all those samples.
        let a = Tensor.randomNormal([gemmSize, gemmSize], seed: 1), b = Tensor.randomNormal([gemmSize, gemmSize], seed: 2)
        var sgemmSamples: [Double] = [measureSGEMM(a, b)]
        var measured: [(Layer, Double, Double, Double)] = []   // layer, MACs, forward s, forward+backward s
        for layer in Self.layers where selectedNames.contains(layer.name) {
            let (macs, forward, both) = measure(layer)
            measured.append((layer, macs, forward, both))
            sgemmSamples.append(measureSGEMM(a, b))
        }
        let sgemm = median(sgemmSamples)
        var results: [Result] = []
        var rows: [String] = []
        for (l, macs, forward, both) in measured {
            let fg = 2 * macs / forward / 1e9, bg = 3 * 2 * macs / both / 1e9
            rows.append(pad(l.name, 20) + pad(fmt(macs / 1e9), 8) + pad(fmt(forward * 1e3), 9) + pad(fmt(fg), 9)
                + pad(percent(fg / sgemm), 8) + pad(fmt(both * 1e3), 9) + pad(fmt(bg), 9) + pad(percent(bg / sgemm), 8))
            results.append(Result(name: l.name, forwardGflops: fg, forwardBackwardGflops: bg))
        }
        if json {   // keys in the documented order (JSONEncoder does not keep declaration order)
            let layers = results.map {
                "{\"name\": \"\($0.name)\", \"forward_gflops\": \(round2($0.forwardGflops)), \"forward_backward_gflops\": \(round2($0.forwardBackwardGflops))}"
            }
            print("{\"sgemm_gflops\": \(round2(sgemm)), \"layers\": [\(layers.joined(separator: ", "))]}")
            return
        }
        print("conv2d, batch \(batch), \(Engine.threadCount) threads, threading \(threading), median of \(repetitions) after a warm-up")
        print("sgemm \(gemmSize)^3: \(fmt(sgemm)) GFLOP/s (median of samples between the layers: "
              + sgemmSamples.map(fmt).joined(separator: ", ") + ")")
        print("FLOPs = 2 x MACs; forward+backward counts 3 x the forward FLOPs")
        print(pad("layer", 20) + pad("GMACs", 8) + pad("fwd ms", 9) + pad("GFLOP/s", 9) + pad("/sgemm", 8)
              + pad("f+b ms", 9) + pad("GFLOP/s", 9) + pad("/sgemm", 8))
        rows.forEach { print($0) }
    }

    /// GFLOP/s of one square product (its BLAS threads on every core).
    func measureSGEMM(_ a: Tensor, _ b: Tensor) -> Double {
        let n = a.shape[0]
        let seconds = medianSeconds(repetitions: repetitions) { _ = withNoGrad { matmul(a, b) } }
        return 2 * Double(n * n * n) / seconds / 1e9
    }

    /// Multiply-adds, forward seconds and forward+backward seconds of one layer.
    func measure(_ l: Layer) -> (Double, Double, Double) {
        let x = Tensor.randomNormal([batch, l.c, l.hw, l.hw], seed: 3)
        let w = Tensor.randomNormal([l.f, l.c, l.k, l.k], std: 0.05, seed: 4)
        let b = Tensor.randomNormal([l.f], seed: 5)
        let conv = { (x: Tensor, w: Tensor, b: Tensor) in
            conv2d(x, weight: w, bias: b, stride: (l.stride, l.stride), padding: (l.padding, l.padding))
        }
        let out = withNoGrad { conv(x, w, b) }
        let macs = Double(out.count * l.c * l.k * l.k)
        let gy = Tensor.randomNormal(out.shape, seed: 6)
        let forward = medianSeconds(repetitions: repetitions) { _ = withNoGrad { conv(x, w, b) } }
        // Forward, then the backward rule's kernel for all three gradients, as for a layer in the middle
        // of a network (calling backward() on a leaf input would add a copy of dx into x.grad).
        let geometry = ConvGeometry(input: x.shape, weight: w.shape, stride: (l.stride, l.stride), padding: (l.padding, l.padding))
        let both = medianSeconds(repetitions: repetitions) {
            _ = withNoGrad { conv(x, w, b) }
            _ = conv2dBackward(gy, x: x, weight: w, hasBias: true, geometry, needInput: true, needWeight: true, needBias: true)
        }
        return (macs, forward, both)
    }
}

private func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
private func fmt(_ x: Double) -> String { String(format: "%.1f", x) }
private func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
