/// Reverse-mode automatic differentiation over the graph of recorded ops.
///
/// Every op that produces a tensor from inputs that track gradients attaches a `GradFunction`:
/// the op's name, its inputs and a closure that maps the output's gradient to the inputs'
/// gradients (one rule per op, written next to the op's forward code). `backward()` walks the
/// graph in reverse topological order, so shared subexpressions, residual adds, channel
/// concatenations and multi-branch modules all accumulate correctly.
public final class GradFunction {
    /// The op that made the tensor, for error messages and graph dumps.
    public let name: String
    let inputs: [Tensor]
    /// Which inputs need a gradient (the closure may skip the others: a first conv layer
    /// never computes the gradient of the image).
    let needsGrad: [Bool]
    let rule: (_ gradOutput: Tensor, _ needsGrad: [Bool]) -> [Tensor?]

    init(name: String, inputs: [Tensor], rule: @escaping (Tensor, [Bool]) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.needsGrad = inputs.map(\.tracksGradient)
        self.rule = rule
    }
}

/// Gradient recording on or off for the current task (`withNoGrad`).
public enum Autograd {
    @TaskLocal static var enabled = true

    /// Whether ops record their backward rules right now.
    public static var isEnabled: Bool { enabled }
}

/// Runs `body` without recording any op: nothing is kept alive for a backward pass
/// (inference, evaluation, optimiser updates). `torch.no_grad()`.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try Autograd.$enabled.withValue(false, operation: body)
}

extension Tensor {
    /// A leaf that asked for gradients, or the result of an op on such a tensor.
    public var tracksGradient: Bool { requiresGrad || gradFunction != nil }

    /// Attaches `rule` as this tensor's backward, if recording is on and an input tracks gradients.
    /// Ops call it once, after computing their output.
    @discardableResult
    package func recording(_ name: String, _ inputs: [Tensor],
                           _ rule: @escaping (_ gradOutput: Tensor, _ needsGrad: [Bool]) -> [Tensor?]) -> Tensor {
        if Autograd.enabled, !isMeta, inputs.contains(where: \.tracksGradient) {
            gradFunction = GradFunction(name: name, inputs: inputs, rule: rule)
        }
        return self
    }

    /// Back-propagates from this tensor: every leaf with `requiresGrad` that it depends on gets
    /// its gradient added to `grad`. For a non-scalar result pass the upstream gradient.
    /// The graph is released as it is walked (saved activations are freed), so call it once.
    public func backward(_ gradient: Tensor? = nil) {
        precondition(tracksGradient, "backward: this tensor does not depend on any tensor that requires grad")
        let seed: Tensor
        if let gradient {
            precondition(gradient.shape == shape, "backward: gradient of shape \(gradient.shape) for a tensor of shape \(shape)")
            seed = gradient
        } else {
            precondition(count == 1, "backward: a tensor of shape \(shape) needs an explicit gradient (only scalars default to 1)")
            seed = Tensor.full(shape, 1)
        }
        let order = topologicalOrder()
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        withNoGrad {
            for node in order {
                let id = ObjectIdentifier(node)
                guard let g = grads.removeValue(forKey: id) else { continue }
                if node.requiresGrad && node.gradFunction == nil {
                    node.accumulateGrad(g)
                    continue
                }
                guard let fn = node.gradFunction else { continue }
                let inputGrads = fn.rule(g, fn.needsGrad)
                precondition(inputGrads.count == fn.inputs.count, "backward of \(fn.name): \(inputGrads.count) gradients for \(fn.inputs.count) inputs")
                for (input, ig) in zip(fn.inputs, inputGrads) where input.tracksGradient {
                    guard let ig else { continue }
                    precondition(ig.shape == input.shape, "backward of \(fn.name): gradient \(ig.shape) for input \(input.shape)")
                    let key = ObjectIdentifier(input)
                    if let existing = grads[key] { grads[key] = existing.adding(ig) } else { grads[key] = ig }
                }
                node.gradFunction = nil   // frees what the rule saved
            }
        }
    }

    func accumulateGrad(_ g: Tensor) {
        if let grad { grad.addInPlace(g) } else { grad = g.copy() }
    }

    /// Nodes reachable from self, each before every node it was computed from.
    private func topologicalOrder() -> [Tensor] {
        var visited = Set<ObjectIdentifier>()
        var order: [Tensor] = []
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            let id = ObjectIdentifier(t)
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((t, true))
            if let fn = t.gradFunction {
                for input in fn.inputs where input.tracksGradient && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }
        return order.reversed()
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}
