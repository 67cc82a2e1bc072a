// Where the time of a forward pass goes: the same rows as the architecture card, each with its
// measured wall time (median over repetitions), next to its MACs.
import CNN
import Foundation

/// One row of a forward-pass profile: a leaf module call or a functional op of a composite module.
public struct LayerTiming: Sendable, Equatable {
    /// Dotted module path as in the summary ("layer1.0.conv1"); "" for ops of the root module.
    public var name: String
    /// Module type ("Conv2D") or functional op ("add", "concat").
    public var type: String
    public var outputShape: [Int]
    /// Multiply-accumulates (conv and linear; 0 for the rest), as in the summary.
    public var macs: Int
    /// Median wall time of this row over the repetitions, in milliseconds.
    public var milliseconds: Double

    /// Arithmetic rate of the row, 2 x MACs per second, in GFLOP/s (0 for rows without MACs).
    public var gflops: Double { milliseconds > 0 ? 2 * Double(macs) / (milliseconds * 1e6) : 0 }
}

/// Per-layer wall times of a model's forward pass.
public struct ForwardProfile: Sendable {
    public var model: String
    /// [N, C, H, W].
    public var input: [Int]
    /// Whether the model ran in training mode (batch statistics, dropout) or eval mode.
    public var training: Bool
    public var repetitions: Int
    public var layers: [LayerTiming]
    /// Median wall time of the whole forward pass, in milliseconds.
    public var totalMilliseconds: Double

    /// Time per row type (Conv2D, BatchNorm2D, add, ...), largest first, with the MACs of the type.
    public var byType: [(type: String, count: Int, milliseconds: Double, macs: Int)] {
        var order: [String] = []
        var sums: [String: (count: Int, ms: Double, macs: Int)] = [:]
        for r in layers {
            if sums[r.type] == nil { order.append(r.type) }
            let s = sums[r.type] ?? (0, 0, 0)
            sums[r.type] = (s.count + 1, s.ms + r.milliseconds, s.macs + r.macs)
        }
        return order.map { (type: $0, count: sums[$0]!.count, milliseconds: sums[$0]!.ms, macs: sums[$0]!.macs) }
            .sorted { $0.milliseconds > $1.milliseconds }
    }

    /// Total MACs of the forward pass.
    public var macs: Int { layers.reduce(0) { $0 + $1.macs } }
}

extension Analysis {
    /// Runs `model` forward on random input of shape `input` ([N, C, H, W]) `warmup` times, then
    /// `repetitions` times with a timing tracer installed, and returns the median wall time of
    /// every row and of the whole pass. Rows are those of `summarize` (leaf modules and the
    /// functional ops of composite modules, in forward order). A functional op's time is the
    /// time since the previous event of its composite module, so the rows cover the pass.
    ///
    /// Eval mode by default (inference); `training: true` times the forward pass of a training
    /// step (batch statistics, dropout, the autograd graph recorded). The model's mode is restored.
    public static func profileForward(_ model: Module, input: [Int], name: String = "", training: Bool = false,
                                      repetitions: Int = 10, warmup: Int = 2) throws -> ForwardProfile {
        guard input.count == 4, input.allSatisfy({ $0 > 0 }) else {
            throw AnalysisError.invalidInput("input must be [N, C, H, W] with positive sizes, got \(input)")
        }
        guard repetitions >= 1, warmup >= 0 else {
            throw AnalysisError.invalidInput("repetitions must be at least 1 and warm-up runs at least 0, got \(repetitions) and \(warmup)")
        }
        let wasTraining = model.isTraining
        defer { if wasTraining { model.train() } else { model.eval() } }
        if training { model.train() } else { model.eval() }
        let x = Tensor.randomNormal(input, seed: 7)
        func pass() { if training { _ = model(x) } else { _ = withNoGrad { model(x) } } }
        for _ in 0..<warmup { pass() }
        var samples: [[Double]] = []
        var totals: [Double] = []
        var template: [LayerTiming] = []
        for _ in 0..<repetitions {
            let tracer = TimingTracer(model: model)
            let start = DispatchTime.now().uptimeNanoseconds
            Trace.$current.withValue(tracer) { pass() }
            totals.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            if template.isEmpty { template = tracer.rows }
            guard tracer.rows.count == template.count else {
                throw AnalysisError.invalidInput("the model ran a different sequence of layers on repetition \(samples.count + 1)")
            }
            samples.append(tracer.nanoseconds.map { Double($0) / 1e6 })
        }
        let layers = template.indices.map { i -> LayerTiming in
            var row = template[i]
            row.milliseconds = median(samples.map { $0[i] })
            return row
        }
        return ForwardProfile(model: name, input: input, training: training, repetitions: repetitions, layers: layers,
                              totalMilliseconds: median(totals))
    }

    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }
}

/// Times leaf module calls (entry to exit) and the functional ops of composite modules (from the
/// previous event to the op's report).
final class TimingTracer: OpTracer, @unchecked Sendable {
    private let names: [ObjectIdentifier: String]
    private var stack: [(module: Module, row: Int?, start: UInt64)] = []
    private var last: UInt64 = DispatchTime.now().uptimeNanoseconds
    private(set) var rows: [LayerTiming] = []
    private(set) var nanoseconds: [UInt64] = []

    init(model: Module) { names = moduleNames(model) }

    private func name(_ m: Module) -> String { names[ObjectIdentifier(m)] ?? "(\(m.typeName))" }

    func enter(_ module: Module) {
        let now = DispatchTime.now().uptimeNanoseconds
        if module.children.isEmpty {
            rows.append(LayerTiming(name: name(module), type: module.typeName, outputShape: [], macs: 0, milliseconds: 0))
            nanoseconds.append(0)
            stack.append((module, rows.count - 1, now))
        } else {
            stack.append((module, nil, now))
        }
        last = now
    }

    func exit(_ module: Module, output: Tensor) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard let top = stack.popLast() else { return }
        if let r = top.row {
            rows[r].outputShape = output.shape
            nanoseconds[r] = now - top.start
        }
        last = now
    }

    func record(_ event: OpEvent) {
        let now = DispatchTime.now().uptimeNanoseconds
        if let r = stack.last?.row {
            rows[r].macs += event.macs
            return
        }
        // A functional op of a composite module (or of the root): it ran since the previous event.
        let module = stack.last?.module
        rows.append(LayerTiming(name: module.map(name) ?? "", type: event.op, outputShape: event.outputShape,
                                macs: event.macs, milliseconds: 0))
        nanoseconds.append(now - last)
        last = now
    }
}
