import CNN

// Exercises on the training recipes of lesson l07 (optimizers beyond SGD).

extension Bank {
    /// Two Adam steps on one weight, by hand: the bias corrections make the first step exactly
    /// lr · sign(g₁) (up to ε), the classic mistake of leaving them out makes it √(1 − β₂)/(1 − β₁) ≈ 3.16 times larger.
    static let adamStep = Exercise(
        id: "adam-step",
        title: Localized(zh: "Adam 的前两步", en: "The first two steps of Adam"),
        lesson: "l07-recipes",
        generate: { g in
            Parameters(["w": .real(Double(g.int(in: -20...20)) / 10), "g1": .real(Double(g.pick([-1, 1]) * g.int(in: 1...10)) / 10),
                        "g2": .real(Double(g.pick([-1, 1]) * g.int(in: 1...10)) / 10), "lr": .real(g.pick([0.1, 0.01, 0.001]))])
        },
        prompt: { p in Localized(
            zh: "Adam：m ← β₁ m + (1 − β₁) g，v ← β₂ v + (1 − β₂) g²，W ← W − α (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)，m 和 v 从 0 开始，t 从 1 数。β₁ = 0.9，β₂ = 0.999，ε = 1e-8，α = \(Value.format(p.double("lr")))，W⁰ = \(Value.format(p.double("w")))，前两步的梯度为 \(Value.format(p.double("g1"))) 和 \(Value.format(p.double("g2")))。",
            en: "Adam: m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², W ← W − α (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε), with m and v starting at 0 and t counting from 1. β₁ = 0.9, β₂ = 0.999, ε = 1e-8, α = \(Value.format(p.double("lr"))), W⁰ = \(Value.format(p.double("w"))); the gradients of the first two steps are \(Value.format(p.double("g1"))) and \(Value.format(p.double("g2"))).") },
        parts: [
            Part(id: "w1", points: 1, tolerance: .relative(rtol: 1e-4, atol: 1e-6), kind: .real,
                 prompt: { _ in Localized(zh: "W¹", en: "W¹") },
                 answer: { p in .real(adamSteps(p, count: 1)) },
                 mistakes: [Mistake(id: "no-bias-correction", feedback: Localized(zh: "你没有做偏差修正：第 t 步要用 m / (1 − β₁ᵗ) 和 v / (1 − β₂ᵗ)。", en: "You left out the bias corrections: step t uses m / (1 − β₁ᵗ) and v / (1 − β₂ᵗ)."),
                                    answer: { p in .real(adamWithoutCorrection(p, count: 1)) })]),
            Part(id: "w2", points: 2, tolerance: .relative(rtol: 1e-4, atol: 1e-6), kind: .real,
                 prompt: { _ in Localized(zh: "W²", en: "W²") },
                 answer: { p in .real(adamSteps(p, count: 2)) },
                 mistakes: [Mistake(id: "no-bias-correction", feedback: Localized(zh: "你没有做偏差修正：第 t 步要用 m / (1 − β₁ᵗ) 和 v / (1 − β₂ᵗ)。", en: "You left out the bias corrections: step t uses m / (1 − β₁ᵗ) and v / (1 − β₂ᵗ)."),
                                    answer: { p in .real(adamWithoutCorrection(p, count: 2)) })]),
        ])

    /// `count` steps of the engine's Adam on a one-element parameter.
    static func adamSteps(_ p: Parameters, count: Int) -> Double {
        let w = Tensor(shape: [1], values: [Float(p.double("w"))], requiresGrad: true)
        let opt = Adam(groups: [ParameterGroup(name: "w", parameters: [("w", w)])], learningRate: Float(p.double("lr")))
        for g in [p.double("g1"), p.double("g2")].prefix(count) {
            w.grad = Tensor(shape: [1], values: [Float(g)])
            opt.step()
        }
        return Double(w.item())
    }

    /// The answer a student gets without the bias corrections (a known mistake, not a key).
    static func adamWithoutCorrection(_ p: Parameters, count: Int) -> Double {
        var (w, m, v) = (p.double("w"), 0.0, 0.0)
        for g in [p.double("g1"), p.double("g2")].prefix(count) {
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            w -= p.double("lr") * m / (v.squareRoot() + 1e-8)
        }
        return w
    }
}
