import Analysis
import CNN

/// Answers come from the engine, never from a formula typed a second time: a layer is built
/// (with shape-only parameters) and walked by `Analysis` on a shape-only input, and its output
/// shape, MACs, parameters and receptive field are read off the walk.
enum EngineFacts {
    /// Output shape, multiply-accumulates and parameter count of `module` on `input` (batch 1).
    static func walk(_ module: Module, input: [Int]) -> (shape: [Int], macs: Int, parameters: Int) {
        let s = summary(module, input: input)
        return (s.layers.last?.outputShape ?? input, s.total.macs, s.total.parameters)
    }

    /// Receptive field (side length) at the output of `module`, from the analysis's walk.
    static func receptiveField(of module: Module, channels: Int, size: Int = 64) -> Int {
        summary(module, input: [1, channels, size, size]).layers.last?.receptiveField.size ?? 1
    }

    /// The generators only produce inputs that fit; a failure here is a bug in an exercise.
    private static func summary(_ module: Module, input: [Int]) -> ModelSummary {
        do { return try Analysis.summarize(module, input: input) }
        catch { preconditionFailure("exercise key: the engine cannot walk this layer on \(input): \(error)") }
    }
}
