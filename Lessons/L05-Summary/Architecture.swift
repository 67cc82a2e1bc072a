// What the summary tables compare, measured on a model: layer counts, longest-path depth,
// kernel sizes, channel ranges, and weights and MACs split into convolutional and fully
// connected parts. Depth comes from a tracer that follows the data flow of one meta forward pass.
import Analysis
import Foundation
import CNN

/// The data flow of one forward pass: for each tensor, the number of conv and linear ops on the
/// longest path that produced it.
final class DepthTracer: OpTracer, @unchecked Sendable {
    private var depth: [ObjectIdentifier: (conv: Int, weighted: Int)] = [:]
    private var last: (conv: Int, weighted: Int) = (0, 0)
    private(set) var ops: Set<String> = []
    private(set) var convMACs = 0, linearMACs = 0

    func record(_ event: OpEvent) {
        ops.insert(event.op)
        // A tensor no traced op produced (the input) starts at depth 0.
        let inputs = event.inputIDs.map { depth[$0] ?? (0, 0) }
        var d = (conv: inputs.map(\.conv).max() ?? last.conv, weighted: inputs.map(\.weighted).max() ?? last.weighted)
        if event.op == "conv2d" { d.conv += 1; d.weighted += 1; convMACs += event.macs }
        if event.op == "linear" { d.weighted += 1; linearMACs += event.macs }
        depth[event.outputID] = d
        last = d
    }
    func enter(_ module: Module) {}
    func exit(_ module: Module, output: Tensor) {}
    /// Depth of the last op's output (the logits).
    var outputDepth: (conv: Int, weighted: Int) { last }
}

/// The "TABLE II" figures of one network.
struct ArchitectureCard: Codable {
    var name: String
    var input: [Int]
    var singlePath: Bool
    var convLayers: Int
    var convDepth: Int
    /// Conv and linear layers on the longest path (the depth the lecture quotes: AlexNet 8, VGG-16 16).
    var weightedDepth: Int
    var kernelSizes: [String]
    var convInputChannels: ClosedRange<Int>
    var convFilters: ClosedRange<Int>
    var strides: [Int]
    var convWeights: Int
    var convMACs: Int
    var fcLayers: Int
    var fcInputs: ClosedRange<Int>
    var fcOutputs: ClosedRange<Int>
    var fcWeights: Int
    var fcMACs: Int
    /// Batch-norm (and other non-conv, non-linear) parameters.
    var otherWeights: Int
    var totalWeights: Int
    var totalMACs: Int
    /// Share of conv layers with kernels of at most 3x3 (1x1 counts as small).
    var smallKernelShare: Double

    var megabytes: Double { Double(totalWeights * 4) / 1e6 }
    var mebibytes: Double { Double(totalWeights * 4) / 1_048_576 }
}

extension ClosedRange<Int> {
    /// "3–512", or "20" for a single value.
    var text: String { lowerBound == upperBound ? "\(lowerBound)" : "\(lowerBound)–\(upperBound)" }
}

/// Measures `model` on a meta tensor of shape [1] + `input`.
func architectureCard(_ model: Module, name: String, input: [Int]) throws -> ArchitectureCard {
    let summary = try Analysis.summarize(model, input: [1] + input, name: name)
    model.eval()
    let tracer = DepthTracer()
    let x = Tensor(meta: [1] + input)
    _ = Trace.$current.withValue(tracer) { model(x) }
    model.train()
    let modules = model.namedModules().map(\.module)
    let convs = modules.compactMap { $0 as? Conv2D }, linears = modules.compactMap { $0 as? Linear }
    let convWeights = convs.reduce(0) { $0 + $1.parameterCount }
    let fcWeights = linears.reduce(0) { $0 + $1.parameterCount }
    func range(_ v: [Int]) -> ClosedRange<Int> { v.isEmpty ? 0...0 : v.min()!...v.max()! }
    let kernels = Set(convs.map { $0.kernelSize.0 == $0.kernelSize.1 ? "\($0.kernelSize.0)" : "\($0.kernelSize.0)×\($0.kernelSize.1)" })
    return ArchitectureCard(
        name: name, input: input,
        singlePath: !tracer.ops.contains("add") && !tracer.ops.contains("concat"),
        convLayers: convs.count, convDepth: tracer.outputDepth.conv, weightedDepth: tracer.outputDepth.weighted,
        kernelSizes: kernels.sorted { ($0.count, $0) < ($1.count, $1) },
        convInputChannels: range(convs.map(\.inputChannels)), convFilters: range(convs.map(\.outputChannels)),
        strides: Set(convs.map(\.stride.0)).sorted(),
        convWeights: convWeights, convMACs: tracer.convMACs,
        fcLayers: linears.count, fcInputs: range(linears.map(\.inputFeatures)), fcOutputs: range(linears.map(\.outputFeatures)),
        fcWeights: fcWeights, fcMACs: tracer.linearMACs,
        otherWeights: summary.total.parameters - convWeights - fcWeights,
        totalWeights: summary.total.parameters, totalMACs: summary.total.macs,
        smallKernelShare: Double(convs.filter { max($0.kernelSize.0, $0.kernelSize.1) <= 3 }.count) / Double(max(convs.count, 1)))
}


/// 61_100_840 → "61.1M", 2_600 → "2.6k", 15_470_264_320 → "15.47G" (the slide's style).
func short(_ n: Int, digits: Int = 3) -> String {
    let v = Double(n)
    func f(_ x: Double, _ suffix: String) -> String {
        let s = String(format: "%.\(max(0, digits - 1 - Int(log10(max(x, 1)))))f", x)
        return s + suffix
    }
    if v >= 1e9 { return f(v / 1e9, "G") }
    if v >= 1e6 { return f(v / 1e6, "M") }
    if v >= 1e3 { return f(v / 1e3, "k") }
    return "\(n)"
}
