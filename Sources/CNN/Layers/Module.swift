/// The base of every layer and network: named parameters, buffers and submodules, train/eval
/// mode, and `callAsFunction`.
///
/// Names follow PyTorch's `state_dict` keys: a submodule registered as `"layer1"` whose child
/// `"0"` has a parameter `"weight"` contributes `layer1.0.weight`, so torchvision checkpoints
/// map one to one. Subclasses create their parts, call `super.init()`, register the parts in
/// the order PyTorch registers them, and override `forward`:
///
///     final class Block: Module {
///         let conv: Conv2D, bn: BatchNorm2D
///         init(_ c: Int) {
///             conv = Conv2D(inputChannels: c, outputChannels: c, kernelSize: 3, padding: 1, bias: false)
///             bn = BatchNorm2D(c)
///             super.init()
///             register("conv", conv); register("bn", bn)
///         }
///         override func forward(_ x: Tensor) -> Tensor { (bn(conv(x)) + x).relu() }   // residual
///     }
open class Module {
    /// Whether the module is in training mode (dropout active, batch norm on batch statistics).
    public private(set) var isTraining = true
    public private(set) var ownParameters: [(name: String, tensor: Tensor)] = []
    public private(set) var ownBuffers: [(name: String, tensor: Tensor, isInteger: Bool)] = []
    public private(set) var children: [(name: String, module: Module)] = []

    public init() {}

    /// Adds a submodule under `name` (its keys get the prefix `name.`).
    @discardableResult
    public func register<M: Module>(_ name: String, _ module: M) -> M {
        precondition(!children.contains { $0.name == name }, "\(typeName): submodule name '\(name)' registered twice")
        children.append((name, module))
        return module
    }

    /// Adds a trainable tensor under `name`; it gets `requiresGrad = true`.
    public func registerParameter(_ name: String, _ tensor: Tensor) {
        precondition(!ownParameters.contains { $0.name == name }, "\(typeName): parameter '\(name)' registered twice")
        tensor.requiresGrad = true
        ownParameters.append((name, tensor))
    }

    /// Adds a non-trainable state tensor (running statistics). `isInteger` marks counters that
    /// PyTorch stores as int64 (`num_batches_tracked`), so writers can keep their dtype.
    public func registerBuffer(_ name: String, _ tensor: Tensor, isInteger: Bool = false) {
        precondition(!ownBuffers.contains { $0.name == name }, "\(typeName): buffer '\(name)' registered twice")
        ownBuffers.append((name, tensor, isInteger))
    }

    /// The module's computation. Subclasses override it; callers use `module(x)`.
    open func forward(_ x: Tensor) -> Tensor {
        preconditionFailure("\(typeName) does not implement forward(_:)")
    }

    /// Runs `forward`, reporting the call to the installed tracer (for the analysis).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let tracer = Trace.current else { return forward(x) }
        tracer.enter(self)
        let y = forward(x)
        tracer.exit(self, output: y)
        return y
    }

    /// A short type name for summaries ("Conv2D", "BasicBlock").
    open var typeName: String { String(describing: type(of: self)) }

    /// A one-line description of the configuration, as PyTorch prints it ("3, 64, kernel_size=(3, 3)").
    open var configuration: String { "" }
}

// MARK: - Traversal

extension Module {
    /// Every module in the tree with its dotted name, the root first as "".
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var result: [(String, Module)] = [(prefix, self)]
        for (n, c) in children { result += c.namedModules(prefix: prefix.isEmpty ? n : "\(prefix).\(n)") }
        return result
    }

    /// Every parameter with its state_dict key, in registration order.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { (p, m) in m.ownParameters.map { (p.isEmpty ? $0.name : "\(p).\($0.name)", $0.tensor) } }
    }

    /// Every buffer with its state_dict key.
    public func namedBuffers() -> [(name: String, tensor: Tensor, isInteger: Bool)] {
        namedModules().flatMap { (p, m) in m.ownBuffers.map { (p.isEmpty ? $0.name : "\(p).\($0.name)", $0.tensor, $0.isInteger) } }
    }

    /// The trainable tensors, for an optimiser.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Parameters and buffers in PyTorch's `state_dict()` order (per module: parameters, then
    /// buffers; modules depth first).
    public func stateDict() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { (p, m) -> [(String, Tensor)] in
            let key = { (n: String) in p.isEmpty ? n : "\(p).\(n)" }
            return m.ownParameters.map { (key($0.name), $0.tensor) } + m.ownBuffers.map { (key($0.name), $0.tensor) }
        }
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Training mode for the whole tree (`model.train()`).
    public func train() { for (_, m) in namedModules() { m.isTraining = true } }

    /// Evaluation mode for the whole tree (`model.eval()`).
    public func eval() { for (_, m) in namedModules() { m.isTraining = false } }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters() { p.grad = nil } }

    /// The submodule at a dotted path ("layer1.0.conv1"), if any.
    public func submodule(_ path: String) -> Module? {
        namedModules().first { $0.name == path }?.module
    }
}

// MARK: - Containers

/// Modules applied in order; children are named "0", "1", … as in `nn.Sequential`,
/// or by the names given.
public final class Sequential: Module {
    public let layers: [Module]

    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
        for (i, l) in layers.enumerated() { register(String(i), l) }
    }

    public convenience init(_ layers: Module...) { self.init(layers) }

    /// Children with explicit names (`features`, `denselayer1`, …).
    public init(named: [(String, Module)]) {
        self.layers = named.map(\.1)
        super.init()
        for (n, l) in named { register(n, l) }
    }

    public override func forward(_ x: Tensor) -> Tensor { layers.reduce(x) { $1($0) } }
}

/// A module made from a closure, for parameter-free steps inside a `Sequential`
/// (`Lambda("flatten") { $0.flattened() }`).
public final class Lambda: Module {
    public let name: String
    let body: (Tensor) -> Tensor
    public init(_ name: String, _ body: @escaping (Tensor) -> Tensor) { self.name = name; self.body = body }
    public override func forward(_ x: Tensor) -> Tensor { body(x) }
    public override var typeName: String { name }
}
