import CNN

/// Answers come from the engine, never from a formula typed a second time: a layer is built
/// and walked on a shape-only tensor, and its output shape, MACs and parameters are read off.
enum EngineFacts {
    /// Output shape, multiply-accumulates and parameter count of `module` on `input` (batch 1).
    static func walk(_ module: Module, input: [Int]) -> (shape: [Int], macs: Int, parameters: Int) {
        let counter = MACCounter()
        let y = Trace.$current.withValue(counter) { withNoGrad { module(Tensor(meta: input)) } }
        return (y.shape, counter.macs, module.parameterCount)
    }

    private final class MACCounter: OpTracer, @unchecked Sendable {
        var macs = 0
        func record(_ event: OpEvent) { macs += event.macs }
        func enter(_ module: Module) {}
        func exit(_ module: Module, output: Tensor) {}
    }
}

extension EngineFacts {
    /// Receptive field (side length) of the last op of a chain of convolutions and pools,
    /// from the windows the engine reports: l_k = l_{k−1} + (f_k − 1)·∏_{i<k} s_i.
    static func receptiveField(of module: Module, channels: Int, size: Int = 64) -> Int {
        let recorder = WindowRecorder()
        _ = Trace.$current.withValue(recorder) { withNoGrad { module(Tensor(meta: [1, channels, size, size])) } }
        var field = 1, jump = 1
        for w in recorder.windows {
            field += (w.extent.0 - 1) * jump
            jump *= w.stride.0
        }
        return field
    }

    private final class WindowRecorder: OpTracer, @unchecked Sendable {
        var windows: [Window] = []
        func record(_ event: OpEvent) { if let w = event.window { windows.append(w) } }
        func enter(_ module: Module) {}
        func exit(_ module: Module, output: Tensor) {}
    }
}
