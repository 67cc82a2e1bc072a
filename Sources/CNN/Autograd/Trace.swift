/// Observation hook for the analysis: while a tracer is installed, every op reports what it
/// computed (shapes, window, MACs, saved elements) and every module call reports entry/exit.
/// The engine itself never reads these records.
public struct OpEvent {
    /// Op name, e.g. "conv2d", "max_pool2d", "add".
    public let op: String
    public let inputShapes: [[Int]]
    public let inputIDs: [ObjectIdentifier]
    public let outputShape: [Int]
    public let outputID: ObjectIdentifier
    /// Spatial window for convolutions and pools (receptive-field arithmetic).
    public let window: Window?
    /// Multiply-accumulates of this op for the whole batch (conv and linear; 0 for the rest).
    public let macs: Int
    /// Elements the backward rule keeps alive (beyond the inputs and parameters).
    public let savedElements: Int
}

/// The geometry of a sliding window along height and width.
public struct Window: Equatable, Sendable {
    public var kernel: (Int, Int)
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)

    public init(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1)) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    /// Effective extent of the kernel, dilation included.
    public var extent: (Int, Int) { (dilation.0 * (kernel.0 - 1) + 1, dilation.1 * (kernel.1 - 1) + 1) }

    public static func == (a: Window, b: Window) -> Bool {
        a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding && a.dilation == b.dilation
    }
}

/// Receives op and module events while installed with `Trace.$current.withValue(tracer) { ... }`.
/// A tracer is used from one task at a time; implementations are `@unchecked Sendable` classes.
public protocol OpTracer: AnyObject, Sendable {
    func record(_ event: OpEvent)
    func enter(_ module: Module)
    func exit(_ module: Module, output: Tensor)
}

public enum Trace {
    @TaskLocal public static var current: OpTracer?
}

extension Tensor {
    /// Reports this op to the installed tracer (a no-op without one).
    @inline(__always)
    package func traced(_ op: String, _ inputs: [Tensor], window: Window? = nil, macs: Int = 0, saved: Int = 0) -> Tensor {
        if let tracer = Trace.current {
            tracer.record(OpEvent(op: op, inputShapes: inputs.map(\.shape), inputIDs: inputs.map { ObjectIdentifier($0) },
                                  outputShape: shape, outputID: ObjectIdentifier(self), window: window,
                                  macs: macs, savedElements: saved))
        }
        return self
    }
}
