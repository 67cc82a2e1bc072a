import ArgumentParser
import CNN
import Foundation

/// `course bench`: speed measurements of the engine (never run as timed tests).
/// Each measurement is a subcommand; add new ones to `subcommands`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the engine's speed (medians over repetitions after a warm-up).",
        subcommands: [BenchConv.self]
    )
}

/// Wall-clock seconds of `body`: the median of `repetitions` runs after one warm-up run.
func medianSeconds(repetitions: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<max(1, repetitions) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
    }
    times.sort()
    return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
}

extension ConvThreading: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "auto": self = .automatic
        case "per-image": self = .perImage
        case "blas": self = .blas
        default: return nil
        }
    }
    public static var allValueStrings: [String] { ["auto", "per-image", "blas"] }
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

    @Option(help: "Size of the square sgemm reference product.")
    var gemmSize = 2048

    struct Layer {
        let name: String, c: Int, hw: Int, f: Int, k: Int, stride: Int, padding: Int
    }

    static let layers = [
        Layer(name: "alexnet_conv1", c: 3, hw: 227, f: 96, k: 11, stride: 4, padding: 0),
        Layer(name: "vgg_64x64_56", c: 64, hw: 56, f: 64, k: 3, stride: 1, padding: 1),
        Layer(name: "resnet_256x256_14", c: 256, hw: 14, f: 256, k: 3, stride: 1, padding: 1),
        Layer(name: "conv1x1_256x64_56", c: 256, hw: 56, f: 64, k: 1, stride: 1, padding: 0),
    ]

    struct Result {
        let name: String
        let forwardGflops: Double
        let forwardBackwardGflops: Double
    }

    func run() throws {
        ConvSettings.threading = threading
        let sgemm = measureSGEMM()
        var results: [Result] = []
        var rows: [String] = []
        for layer in Self.layers {
            let (r, row) = measure(layer, sgemmGflops: sgemm)
            results.append(r); rows.append(row)
        }
        if json {   // keys in the documented order (JSONEncoder does not keep declaration order)
            let layers = results.map {
                "{\"name\": \"\($0.name)\", \"forward_gflops\": \(round2($0.forwardGflops)), \"forward_backward_gflops\": \(round2($0.forwardBackwardGflops))}"
            }
            print("{\"sgemm_gflops\": \(round2(sgemm)), \"layers\": [\(layers.joined(separator: ", "))]}")
            return
        }
        print("conv2d, batch \(batch), \(Engine.threadCount) threads, threading \(threading), median of \(repetitions) after a warm-up")
        print("sgemm \(gemmSize)^3: \(fmt(sgemm)) GFLOP/s (the reference for the ratios)")
        print("FLOPs = 2 x MACs; forward+backward counts 3 x the forward FLOPs")
        print(pad("layer", 20) + pad("GMACs", 8) + pad("fwd ms", 9) + pad("GFLOP/s", 9) + pad("/sgemm", 8)
              + pad("f+b ms", 9) + pad("GFLOP/s", 9) + pad("/sgemm", 8))
        rows.forEach { print($0) }
    }

    func measureSGEMM() -> Double {
        let n = gemmSize
        let a = Tensor.randomNormal([n, n], seed: 1), b = Tensor.randomNormal([n, n], seed: 2)
        let seconds = medianSeconds(repetitions: repetitions) { _ = withNoGrad { matmul(a, b) } }
        return 2 * Double(n * n * n) / seconds / 1e9
    }

    func measure(_ l: Layer, sgemmGflops: Double) -> (Result, String) {
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
        x.requiresGrad = true; w.requiresGrad = true; b.requiresGrad = true
        let both = medianSeconds(repetitions: repetitions) {
            x.zeroGrad(); w.zeroGrad(); b.zeroGrad()
            conv(x, w, b).backward(gy)
        }
        let fg = 2 * macs / forward / 1e9, bg = 3 * 2 * macs / both / 1e9
        let row = pad(l.name, 20) + pad(fmt(macs / 1e9), 8) + pad(fmt(forward * 1e3), 9) + pad(fmt(fg), 9)
            + pad(percent(fg / sgemmGflops), 8) + pad(fmt(both * 1e3), 9) + pad(fmt(bg), 9) + pad(percent(bg / sgemmGflops), 8)
        return (Result(name: l.name, forwardGflops: fg, forwardBackwardGflops: bg), row)
    }
}

private func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
private func fmt(_ x: Double) -> String { String(format: "%.1f", x) }
private func percent(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
private func pad(_ s: String, _ width: Int) -> String { s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count) }
