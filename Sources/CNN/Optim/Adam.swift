import Foundation

/// Adam (Kingma & Ba 2015) as `torch.optim.Adam`, and AdamW (Loshchilov & Hutter 2019) as
/// `torch.optim.AdamW`. With t the step count, β₁, β₂ the decays:
///
///     g' = g + λ W                                   (Adam: L2 through the gradient)
///     W  ← W (1 - lr λ)                              (AdamW: decoupled decay, g' = g)
///     m  ← β₁ m + (1 - β₁) g'
///     v  ← β₂ v + (1 - β₂) g'²
///     W  ← W - (lr / (1 - β₁ᵗ)) · m / (√v / √(1 - β₂ᵗ) + ε)
///
/// The bias corrections are computed in Double, as PyTorch computes them in Python floats.
public class Adam: Optimizer {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// True for AdamW: weight decay shrinks W directly instead of entering the gradient.
    public let decoupledWeightDecay: Bool

    public init(groups: [ParameterGroup], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        precondition(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "Adam: betas (\(beta1), \(beta2)) must be in [0, 1)")
        precondition(epsilon >= 0, "Adam: epsilon \(epsilon) must be >= 0")
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(groups: groups, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// All of `model`'s parameters in one group.
    public convenience init(model: Module, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.init(groups: [ParameterGroup(parameters: model.namedParameters())], learningRate: learningRate,
                  beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    public override var kind: String { decoupledWeightDecay ? "AdamW" : "Adam" }

    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParameterGroup) {
        let (lr, λ, β1, β2, ε) = (group.learningRate, group.weightDecay, beta1, beta2, epsilon)
        let m = state.buffer("exp_avg", shape: parameter.shape)
        let v = state.buffer("exp_avg_sq", shape: parameter.shape)
        let t = Double(state.step)
        let stepSize = Float(Double(lr) / (1 - pow(Double(β1), t)))            // lr / (1 - β₁ᵗ)
        let correction2 = Float((1 - pow(Double(β2), t)).squareRoot())          // √(1 - β₂ᵗ)
        let decoupled = decoupledWeightDecay
        elementwiseUpdate([parameter, gradient, m, v]) { p, r in
            let (W, g, m, v) = (p[0], p[1], p[2], p[3])
            for i in r {
                if decoupled { W[i] *= 1 - lr * λ }                         // W ← W (1 - lr λ)
                let gi = decoupled ? g[i] : g[i] + λ * W[i]                 // g' = g + λ W
                m[i] = β1 * m[i] + (1 - β1) * gi                            // m ← β₁ m + (1-β₁) g'
                v[i] = β2 * v[i] + (1 - β2) * gi * gi                       // v ← β₂ v + (1-β₂) g'²
                W[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2 + ε)
            }
        }
    }
}

/// AdamW: Adam with decoupled weight decay (default λ = 0.01, as `torch.optim.AdamW`).
public final class AdamW: Adam {
    public init(groups: [ParameterGroup], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 1e-2) {
        super.init(groups: groups, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// All of `model`'s parameters in one group.
    public convenience init(model: Module, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                            epsilon: Float = 1e-8, weightDecay: Float = 1e-2) {
        self.init(groups: [ParameterGroup(parameters: model.namedParameters())], learningRate: learningRate,
                  beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }
}
