// The architecture card: walk a model on a meta tensor and total what the lecture compares.
import CNN

/// Whole-model figures of a summary.
public struct SummaryTotals: Sendable, Equatable {
    /// Every registered parameter element.
    public var parameters: Int
    /// Parameters with `requiresGrad`.
    public var trainableParameters: Int
    /// Buffer elements (batch norm running statistics and counters).
    public var buffers: Int
    /// Conv + linear multiply-accumulates of one forward pass at the summary's batch.
    public var macs: Int
    /// Sum of every layer output (float32), as if nothing were freed during the forward pass.
    public var activationBytes: Int
    /// Bytes kept for the backward pass by the ops' rules (beyond inputs, outputs and parameters).
    public var savedBytes: Int

    /// FLOPs counted as 2 x MACs (one multiply and one add), a second, derived figure.
    public var flops: Int { 2 * macs }
    /// Parameter memory in MB (10⁶ bytes, float32).
    public var parameterMegabytes: Double { Double(parameters * 4) / 1e6 }
    /// Activation memory in MB (10⁶ bytes).
    public var activationMegabytes: Double { Double(activationBytes) / 1e6 }
}

/// Per-layer and total shapes, parameters, MACs, receptive fields and memory of a model.
public struct ModelSummary: Sendable {
    public var model: String
    /// [N, C, H, W].
    public var input: [Int]
    public var layers: [LayerRow]
    public var total: SummaryTotals

    /// How the figures are counted (printed under the table).
    public static let convention = """
        MACs: one multiply-add = 1 MAC, conv and linear layers only (as torchvision's published figures); \
        batch norm, pooling, ReLU, LRN, add and concat are listed but count 0. FLOPs = 2 x MACs. \
        Receptive field: height axis, longest path (max over the branches of an add or concat); start is the \
        centre of the first unit's field, pixel i spanning [i, i+1). Activations: float32 bytes of every \
        layer output; saved: what backward rules keep beyond those.
        """
}

/// Shapes, parameters, MACs, receptive fields and memory, without running any arithmetic.
public enum Analysis {
    /// Walks `model` on a meta tensor of shape `input` ([N, C, H, W]) and returns the summary.
    ///
    /// With `reference` (a [C, H, W] shape the model is known to accept, e.g. the zoo entry's
    /// native input), the requested shape is first checked by replaying the reference walk, so a
    /// too-small input throws `AnalysisError.inputTooSmall` naming the layer instead of stopping
    /// the program in an op's precondition. The model is walked in training mode (dropout and
    /// batch statistics active, as in a training step) unless `training` is false, and its mode is
    /// restored afterwards.
    public static func summarize(_ model: Module, input: [Int], name: String = "", reference: [Int]? = nil,
                                 training: Bool = true) throws -> ModelSummary {
        guard input.count == 4, input.allSatisfy({ $0 > 0 }) else {
            throw AnalysisError.invalidInput("input must be [N, C, H, W] with positive sizes, got \(input)")
        }
        let wasTraining = model.isTraining
        defer { if wasTraining { model.train() } else { model.eval() } }
        if let reference {
            guard reference.count == 3 else { throw AnalysisError.invalidInput("reference shape must be [C, H, W], got \(reference)") }
            guard input[1] == reference[0] else {
                throw AnalysisError.invalidInput("\(name.isEmpty ? "the model" : name) takes \(reference[0]) input channels, got \(input[1])")
            }
            model.eval()
            let probe = Tensor(meta: [1] + reference)
            let recorder = LayerTracer(model: model, input: probe)
            _ = Trace.$current.withValue(recorder) { model(probe) }
            try ShapeCheck.replay(recorder.ops, referenceInput: ObjectIdentifier(probe), input: input, training: training)
        }
        if training { model.train() } else { model.eval() }
        let x = Tensor(meta: input)
        let tracer = LayerTracer(model: model, input: x)
        _ = Trace.$current.withValue(tracer) { model(x) }
        let rows = tracer.rows
        let parameters = model.namedParameters()
        let total = SummaryTotals(
            parameters: parameters.reduce(0) { $0 + $1.tensor.count },
            trainableParameters: parameters.filter { $0.tensor.requiresGrad }.reduce(0) { $0 + $1.tensor.count },
            buffers: model.namedBuffers().reduce(0) { $0 + $1.tensor.count },
            macs: rows.reduce(0) { $0 + $1.macs },
            activationBytes: rows.reduce(0) { $0 + $1.activationBytes },
            savedBytes: rows.reduce(0) { $0 + $1.savedBytes })
        return ModelSummary(model: name, input: input, layers: rows, total: total)
    }

    /// Runs one real training step (forward, cross-entropy against class 0, backward) on random
    /// input of shape `input` and returns the memory meter's peak over it, in bytes, counted from
    /// the live bytes before the step (parameters included).
    ///
    /// Needs the engine's numeric kernels: where an op has none, the op stops the program.
    public static func measureTrainingStepPeak(_ model: Module, input: [Int]) -> (peakBytes: Int, baselineBytes: Int) {
        model.train()
        let x = Tensor.randomNormal(input, seed: 1)
        MemoryMeter.resetPeak()
        let baseline = MemoryMeter.liveBytes
        let logits = model(x)
        let loss = crossEntropy(logits: logits, labels: Array(repeating: 0, count: input[0]))
        loss.backward()
        let peak = MemoryMeter.peakBytes
        model.zeroGrad()
        return (peak, baseline)
    }
}
