import Foundation
import Testing
import Grader

/// The adam-step exercise: keys against Adam's update written out by hand in Double
/// (torch.optim.Adam's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8), independent of the engine.
@Suite("Exercise adam-step")
struct AdamExerciseTests {
    /// W after each of the two steps, from the formulas of Kingma & Ba (2015), Algorithm 1.
    func byHand(w: Double, g1: Double, g2: Double, lr: Double) -> (Double, Double) {
        var (weight, m, v) = (w, 0.0, 0.0)
        var after: [Double] = []
        for (t, g) in [g1, g2].enumerated() {
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, Double(t + 1))), vHat = v / (1 - pow(0.999, Double(t + 1)))
            weight -= lr * mHat / (vHat.squareRoot() + 1e-8)
            after.append(weight)
        }
        return (after[0], after[1])
    }

    @Test("the first step moves W by exactly lr in the direction of −g (bias correction at work)")
    func firstStepIsTheRate() {
        let (w1, w2) = byHand(w: 1, g1: 0.5, g2: 0.5, lr: 0.1)
        #expect(abs(w1 - 0.9) < 1e-7)
        #expect(abs(w2 - 0.8) < 1e-7)   // equal gradients: m̂ = g, v̂ = g², so every step is lr
    }

    @Test("keys agree with the hand-written update", arguments: ["s001", "s002", "s003", "s004", "s005", "s006"])
    func keysMatch(student: String) throws {
        let key = Bank.exercise("adam-step").key(assignment: "cnn-architectures", student: student)
        let p = key.parameters
        let (w1, w2) = byHand(w: p.double("w"), g1: p.double("g1"), g2: p.double("g2"), lr: p.double("lr"))
        let values = Dictionary(uniqueKeysWithValues: key.parts.map { ($0.part, $0.value.doubleValue!) })
        #expect(abs(values["w1"]! - w1) <= 1e-5 * max(1, abs(w1)), "w1 \(values["w1"]!) vs \(w1)")
        #expect(abs(values["w2"]! - w2) <= 1e-5 * max(1, abs(w2)), "w2 \(values["w2"]!) vs \(w2)")
    }

    @Test("leaving out the bias correction is recognised as that mistake")
    func missingCorrection() throws {
        let exercise = Bank.exercise("adam-step")
        let p = exercise.parameters(assignment: "cnn-architectures", student: "s001")
        let (w, g1, lr) = (p.double("w"), p.double("g1"), p.double("lr"))
        // Without correction: m/√v = 0.1 g / (√0.001 |g|) = 3.162… · sign(g).
        let wrong = w - lr * 0.1 * g1 / ((0.001 * g1 * g1).squareRoot() + 1e-8)
        let mistake = exercise.parts[0].mistakes.first { $0.id == "no-bias-correction" }!
        #expect(abs(mistake.answer(p).doubleValue! - wrong) < 1e-9)
        #expect(abs((w - wrong) / lr) > 3.16 && abs((w - wrong) / lr) < 3.17)
    }
}
