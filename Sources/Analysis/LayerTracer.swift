// The tracer behind the architecture card: installed around one meta forward pass, it turns op
// and module events into per-layer rows and propagates receptive fields along the data flow.
import CNN

/// One row of a summary: a leaf module call (Conv2D, BatchNorm2D, ReLU, …) or a functional op
/// inside a composite module (the `add` of a residual block, the `concat` of an inception module).
public struct LayerRow: Sendable, Equatable {
    /// Dotted module path as in the state_dict ("layer1.0.conv1"); "" for ops of the root module.
    public var name: String
    /// Module type ("Conv2D") or, for a functional op, the op ("add", "concat").
    public var type: String
    /// Output shape, batch first.
    public var outputShape: [Int]
    /// Trainable parameters owned by this module (counted at its first call only).
    public var parameters: Int
    /// Multiply-accumulates of conv and linear ops (0 for every other op).
    public var macs: Int
    /// Receptive field of the output along the height axis, longest path.
    public var receptiveField: ReceptiveField
    /// Bytes of the output tensor (float32); 0 where the output shares the input's storage.
    public var activationBytes: Int
    /// Bytes the backward rules of this row keep beyond inputs and parameters.
    public var savedBytes: Int
}

/// Receptive fields of both spatial axes.
struct Field2D { var h: ReceptiveField, w: ReceptiveField }

/// An op event as the shape check replays it.
struct RecordedOp {
    let op: String
    let inputIDs: [ObjectIdentifier]
    let inputShapes: [[Int]]
    let outputID: ObjectIdentifier
    let outputShape: [Int]
    let window: Window?
    let module: Module?
    let moduleName: String
}

/// Each submodule's dotted path in `model` (its state_dict prefix), by identity.
func moduleNames(_ model: Module) -> [ObjectIdentifier: String] {
    var names: [ObjectIdentifier: String] = [:]
    for (n, m) in model.namedModules() { names[ObjectIdentifier(m)] = n }
    return names
}

/// Collects rows and receptive fields; used from one task at a time.
final class LayerTracer: OpTracer, @unchecked Sendable {
    private let names: [ObjectIdentifier: String]
    private var stack: [(module: Module, row: Int?)] = []
    private var seen: Set<ObjectIdentifier> = []
    private var fields: [ObjectIdentifier: Field2D] = [:]
    private(set) var rows: [LayerRow] = []
    private(set) var ops: [RecordedOp] = []

    init(model: Module, input: Tensor) {
        names = moduleNames(model)
        fields[ObjectIdentifier(input)] = Field2D(h: .pixel, w: .pixel)
    }

    private func name(_ m: Module) -> String { names[ObjectIdentifier(m)] ?? "(\(m.typeName))" }

    func enter(_ module: Module) {
        guard module.children.isEmpty else { stack.append((module, nil)); return }
        let first = seen.insert(ObjectIdentifier(module)).inserted
        rows.append(LayerRow(name: name(module), type: module.typeName, outputShape: [],
                             parameters: first ? module.ownParameters.reduce(0) { $0 + $1.tensor.count } : 0,
                             macs: 0, receptiveField: .pixel, activationBytes: 0, savedBytes: 0))
        stack.append((module, rows.count - 1))
    }

    func exit(_ module: Module, output: Tensor) {
        guard let top = stack.popLast() else { return }
        if let r = top.row {
            rows[r].outputShape = output.shape
            if let f = fields[ObjectIdentifier(output)] { rows[r].receptiveField = f.h }
        }
    }

    func record(_ event: OpEvent) {
        let module = stack.last?.module
        ops.append(RecordedOp(op: event.op, inputIDs: event.inputIDs, inputShapes: event.inputShapes, outputID: event.outputID,
                              outputShape: event.outputShape, window: event.window, module: module,
                              moduleName: module.map(name) ?? ""))
        let field = propagate(event)
        fields[event.outputID] = field
        // A reshape shares its input's storage: it adds no activation memory.
        let bytes = event.op == "reshape" ? 0 : event.outputShape.reduce(1, *) * 4
        if let r = stack.last?.row {
            rows[r].macs += event.macs
            rows[r].savedBytes += event.savedElements * 4
            rows[r].activationBytes += bytes
        } else {
            rows.append(LayerRow(name: module.map(name) ?? "", type: event.op, outputShape: event.outputShape, parameters: 0,
                                 macs: event.macs, receptiveField: field.h, activationBytes: bytes,
                                 savedBytes: event.savedElements * 4))
        }
    }

    /// Windowed ops grow the field of their data input; every other op takes the widest field
    /// among its data inputs (parameters have none).
    private func propagate(_ event: OpEvent) -> Field2D {
        let known = event.inputIDs.compactMap { fields[$0] }
        if let w = event.window, let f = known.first {
            return Field2D(h: f.h.through(kernel: w.kernel.0, stride: w.stride.0, padding: w.padding.0, dilation: w.dilation.0),
                           w: f.w.through(kernel: w.kernel.1, stride: w.stride.1, padding: w.padding.1, dilation: w.dilation.1))
        }
        guard var f = known.first else { return Field2D(h: .pixel, w: .pixel) }
        for g in known.dropFirst() { f = Field2D(h: .widest(f.h, g.h), w: .widest(f.w, g.w)) }
        return f
    }
}
