/// Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay,
/// exactly as `torch.optim.SGD` (AlexNet, VGG, GoogLeNet and ResNet train with it: momentum 0.9,
/// weight decay 5e-4).
///
/// PyTorch's update, per parameter W with gradient g, learning rate lr, momentum μ, dampening d,
/// weight decay λ (the first step sets b ← g'):
///
///     g' = g + λ W                      (L2 decay enters through the gradient)
///     b  ← μ b + (1 - d) g'
///     W  ← W - lr (g' + μ b)            (Nesterov)    or    W ← W - lr b    (classic)
///
/// **The slide's form** `v ← μ v - α ∇L;  W ← W + v` keeps the *velocity* v, with the rate
/// inside it; PyTorch keeps the *buffer* b = -v / lr, with the rate outside. For a constant rate
/// the two produce the same weights (v = -lr·b step by step). They differ when the rate
/// changes: at a drop from lr₁ to lr₂ the slide's velocity still carries steps taken at lr₁
/// and fades them out at rate μ, while PyTorch rescales the whole accumulated buffer by lr₂ at
/// once. `SGD(…, form: .slide)` runs the slide's version so a lesson can show the difference.
public final class SGD: Optimizer {
    /// Which bookkeeping of momentum to use (see the type's documentation).
    public enum Form: String, Sendable {
        /// `b ← μ b + (1-d) g;  W ← W - lr b` (PyTorch, the default).
        case pytorch
        /// `v ← μ v - lr g;  W ← W + v` (the lecture slide; Sutskever et al. 2013).
        case slide
    }

    public let momentum: Float
    public let dampening: Float
    public let nesterov: Bool
    public let form: Form

    public init(groups: [ParameterGroup], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false, form: Form = .pytorch) {
        precondition(momentum >= 0, "SGD: momentum \(momentum) must be >= 0")
        precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum needs momentum > 0 and zero dampening (got \(momentum), \(dampening))")
        precondition(form == .pytorch || (!nesterov && dampening == 0), "SGD: the slide form has no Nesterov or dampening variant")
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.form = form
        super.init(groups: groups, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// All of `model`'s parameters in one group.
    public convenience init(model: Module, learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                            weightDecay: Float = 0, nesterov: Bool = false, form: Form = .pytorch) {
        self.init(groups: [ParameterGroup(parameters: model.namedParameters())], learningRate: learningRate,
                  momentum: momentum, dampening: dampening, weightDecay: weightDecay, nesterov: nesterov, form: form)
    }

    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParameterGroup) {
        let (lr, λ, μ, d) = (group.learningRate, group.weightDecay, momentum, dampening)
        if momentum == 0 {   // W ← W - lr (g + λ W)
            elementwiseUpdate([parameter, gradient]) { t, r in
                let (W, g) = (t[0], t[1])
                for i in r { W[i] -= lr * (g[i] + λ * W[i]) }
            }
            return
        }
        switch form {
        case .slide:   // v ← μ v - lr (g + λ W);  W ← W + v
            let v = state.buffer("velocity", shape: parameter.shape)
            elementwiseUpdate([parameter, gradient, v]) { t, r in
                let (W, g, v) = (t[0], t[1], t[2])
                for i in r {
                    v[i] = μ * v[i] - lr * (g[i] + λ * W[i])
                    W[i] += v[i]
                }
            }
        case .pytorch:
            let first = state.buffers["momentum_buffer"] == nil
            let b = state.buffer("momentum_buffer", shape: parameter.shape)
            let nesterov = self.nesterov
            elementwiseUpdate([parameter, gradient, b]) { t, r in
                let (W, g, b) = (t[0], t[1], t[2])
                for i in r {
                    let gi = g[i] + λ * W[i]                        // g' = g + λ W
                    b[i] = first ? gi : μ * b[i] + (1 - d) * gi     // b ← μ b + (1 - d) g'
                    W[i] -= lr * (nesterov ? gi + μ * b[i] : b[i])  // W ← W - lr (g' + μ b)  |  W - lr b
                }
            }
        }
    }
}
