import Foundation

/// RMSProp (Hinton's lecture 6e), in PyTorch's form and in the TensorFlow form that trained
/// Inception-v3 (Szegedy et al. 2016: decay 0.9, ε = 1.0, momentum 0.9, lr 0.045).
///
/// The lecture slide writes the TensorFlow form, with ε *inside* the square root:
///
///     G ← μ G + (1 - μ) g²
///     W ← W - α g / √(G + ε)
///
/// `torch.optim.RMSprop` (α = `alpha` is the decay there, lr the rate) puts ε *outside*:
///
///     g' = g + λ W
///     G  ← α G + (1 - α) g'²
///     Ḡ  ← α Ḡ + (1 - α) g'                   (centered only)
///     D  = √(G - Ḡ²) + ε    (centered)   or   √G + ε
///     b  ← μ b + g' / D;  W ← W - lr b   (momentum μ > 0)   or   W ← W - lr g' / D
///
/// The TensorFlow form with momentum keeps the rate inside the buffer, as TF1's
/// `RMSPropOptimizer` does: `b ← μ b + lr g' / √(G + ε);  W ← W - b` (centered: G - Ḡ²).
/// TF1 starts G at 1, not 0 (`initialMeanSquare`), which damps the first steps.
public final class RMSProp: Optimizer {
    public enum Form: String, Sendable {
        /// ε outside the square root, G starts at 0 (`torch.optim.RMSprop`).
        case pytorch
        /// ε inside the square root, momentum buffer holds lr·step (TF1, Inception-v3, the slide).
        case tensorFlow
    }

    /// The decay of the running mean of squares (PyTorch's `alpha`, TF's `decay`, the slide's μ).
    public let alpha: Float
    public let epsilon: Float
    public let momentum: Float
    public let centered: Bool
    public let form: Form
    /// The starting value of G (0 in PyTorch; TF1 used 1).
    public let initialMeanSquare: Float

    public init(groups: [ParameterGroup], learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8,
                weightDecay: Float = 0, momentum: Float = 0, centered: Bool = false,
                form: Form = .pytorch, initialMeanSquare: Float = 0) {
        precondition(alpha >= 0 && alpha <= 1, "RMSProp: alpha \(alpha) must be in [0, 1]")
        precondition(epsilon >= 0, "RMSProp: epsilon \(epsilon) must be >= 0")
        precondition(momentum >= 0, "RMSProp: momentum \(momentum) must be >= 0")
        self.alpha = alpha; self.epsilon = epsilon; self.momentum = momentum
        self.centered = centered; self.form = form; self.initialMeanSquare = initialMeanSquare
        super.init(groups: groups, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// All of `model`'s parameters in one group.
    public convenience init(model: Module, learningRate: Float = 0.01, alpha: Float = 0.99, epsilon: Float = 1e-8,
                            weightDecay: Float = 0, momentum: Float = 0, centered: Bool = false,
                            form: Form = .pytorch, initialMeanSquare: Float = 0) {
        self.init(groups: [ParameterGroup(parameters: model.namedParameters())], learningRate: learningRate, alpha: alpha,
                  epsilon: epsilon, weightDecay: weightDecay, momentum: momentum, centered: centered,
                  form: form, initialMeanSquare: initialMeanSquare)
    }

    public override var kind: String { form == .pytorch ? "RMSProp" : "RMSProp-TF" }

    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParameterGroup) {
        let (lr, λ, α, ε, μ) = (group.learningRate, group.weightDecay, alpha, epsilon, momentum)
        let G = state.buffer("square_avg", shape: parameter.shape, initial: initialMeanSquare)
        // Unused buffers alias G so that one loop serves every variant.
        let Gbar = centered ? state.buffer("grad_avg", shape: parameter.shape) : G
        let b = μ > 0 ? state.buffer("momentum_buffer", shape: parameter.shape) : G
        let (centered, hasMomentum, tf) = (self.centered, μ > 0, form == .tensorFlow)
        elementwiseUpdate([parameter, gradient, G, Gbar, b]) { t, r in
            let (W, g, G, Gbar, b) = (t[0], t[1], t[2], t[3], t[4])
            for i in r {
                let gi = g[i] + λ * W[i]                         // g' = g + λ W
                G[i] = α * G[i] + (1 - α) * gi * gi              // G ← α G + (1-α) g'²
                var meanSquare = G[i]
                if centered {
                    Gbar[i] = α * Gbar[i] + (1 - α) * gi         // Ḡ ← α Ḡ + (1-α) g'
                    meanSquare -= Gbar[i] * Gbar[i]              // G - Ḡ²
                }
                if tf {
                    let step = lr * gi / (meanSquare + ε).squareRoot()   // α g / √(G + ε)
                    if hasMomentum { b[i] = μ * b[i] + step; W[i] -= b[i] } else { W[i] -= step }
                } else {
                    let D = meanSquare.squareRoot() + ε                  // √G + ε
                    if hasMomentum { b[i] = μ * b[i] + gi / D; W[i] -= lr * b[i] } else { W[i] -= lr * gi / D }
                }
            }
        }
    }
}
