// Input validation without traps: the engine's ops stop on impossible shapes with a
// precondition (a programmer error). A user's `--input 3,16,16` is not a programmer error, so
// before walking the model on the requested shape, the analysis replays the data flow recorded
// at the model's reference shape with the new sizes, and throws where a window stops fitting.
import CNN

/// Why an input shape does not fit a model.
public enum AnalysisError: Error, CustomStringConvertible, Equatable {
    /// The input shape is not [C, H, W] with positive sizes, or has the wrong channel count.
    case invalidInput(String)
    /// The spatial size reaches zero (or a window no longer fits) at the named layer.
    case inputTooSmall(layer: String, message: String)
    /// Some other layer cannot take the shape that reaches it (a classifier sized for one input).
    case shapeMismatch(layer: String, message: String)

    public var description: String {
        switch self {
        case .invalidInput(let m): m
        case .inputTooSmall(let layer, let m): "input too small: at \(layer) \(m)"
        case .shapeMismatch(let layer, let m): "shape mismatch at \(layer): \(m)"
        }
    }
}

enum ShapeCheck {
    /// Replays `ops` (recorded with `reference` input) for `input`; throws at the first layer that
    /// cannot take its input. `training` adds batch norm's need for two values per channel.
    static func replay(_ ops: [RecordedOp], referenceInput: ObjectIdentifier, input: [Int], training: Bool) throws {
        var shapes: [ObjectIdentifier: [Int]] = [referenceInput: input]
        let n = input[0]
        for op in ops {
            let where_ = op.moduleName.isEmpty ? "the model's \(op.op)" : "\(op.moduleName) (\(op.module?.typeName ?? op.op))"
            let data = op.inputIDs.compactMap { shapes[$0] }
            guard let x = data.first else { continue }
            var out = op.outputShape
            out[0] = n
            switch op.op {
            case "conv2d", "max_pool2d", "avg_pool2d", "zero_pad_shortcut":
                guard let w = op.window, x.count == 4 else { break }
                let (eh, ew) = w.extent
                let (ph, pw) = (x[2] + 2 * w.padding.0, x[3] + 2 * w.padding.1)
                if eh > ph || ew > pw || x[2] < 1 || x[3] < 1 {
                    throw AnalysisError.inputTooSmall(layer: where_, message:
                        "the \(eh)x\(ew) window does not fit the \(x[2])x\(x[3]) feature map (padded \(ph)x\(pw)): the spatial size reaches zero")
                }
                let ceil = (op.module as? MaxPool2D)?.ceilMode ?? (op.module as? AvgPool2D)?.ceilMode ?? false
                if op.op == "conv2d" || op.op == "zero_pad_shortcut" {
                    out[2] = convolutionOutputSize(x[2], kernel: w.kernel.0, stride: w.stride.0, padding: w.padding.0, dilation: w.dilation.0)
                    out[3] = convolutionOutputSize(x[3], kernel: w.kernel.1, stride: w.stride.1, padding: w.padding.1, dilation: w.dilation.1)
                } else {
                    out[2] = poolingOutputSize(x[2], kernel: w.kernel.0, stride: w.stride.0, padding: w.padding.0, dilation: w.dilation.0, ceilMode: ceil)
                    out[3] = poolingOutputSize(x[3], kernel: w.kernel.1, stride: w.stride.1, padding: w.padding.1, dilation: w.dilation.1, ceilMode: ceil)
                }
            case "adaptive_avg_pool2d":
                if x[2] < 1 || x[3] < 1 {
                    throw AnalysisError.inputTooSmall(layer: where_, message: "the feature map is \(x[2])x\(x[3])")
                }
            case "reshape":
                out = op.outputShape.count == 2 ? [n, x.dropFirst().reduce(1, *)] : out
            case "linear", "matmul":
                let expected = op.inputShapes[0].last ?? 0
                if x.last != expected {
                    throw AnalysisError.shapeMismatch(layer: where_, message:
                        "it expects \(expected) input features, this input size gives \(x.last ?? 0) (its classifier is sized for the reference input)")
                }
            case "concat", "add", "subtract", "multiply":
                for y in data.dropFirst() where y.count != x.count || Array(y[2...]) != Array(x[2...]) {
                    throw AnalysisError.shapeMismatch(layer: where_, message: "its inputs \(x) and \(y) do not line up for this input size")
                }
                if op.op == "concat" { out = x; out[1] = op.outputShape[1] } else { out = x }
            case "batch_norm":
                out = x
                if training && x.reduce(1, *) / max(x[1], 1) <= 1 {
                    throw AnalysisError.inputTooSmall(layer: where_, message:
                        "training-mode batch norm needs more than one value per channel, got \(x) (use a larger batch or input)")
                }
            default:
                out = x
            }
            if out.count == 4 && (out[2] < 1 || out[3] < 1) {
                throw AnalysisError.inputTooSmall(layer: where_, message: "the output would be \(out[2])x\(out[3]): the spatial size reaches zero")
            }
            shapes[op.outputID] = out
        }
    }
}
