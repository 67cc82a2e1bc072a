import Testing
import Grader

@Suite("DenseNet memory exercise")
struct DenseNetMemoryExerciseTests {
    @Test("the key is the hand count 3·L·c0 + (3/2)·k·L(L−1) + 14·k·L")
    func keyMatchesTheHandCount() {
        let ex = Bank.exercise("densenet-memory")
        #expect(Bank.all.contains { $0.id == "densenet-memory" })
        // c0 = 24, k = 12, L = 6: 432 + 540 + 1008 = 1980 (the lesson's table).
        // c0 = 64, k = 32, L = 4: 768 + 576 + 1792 = 3136.
        for (c0, k, L, expected) in [(24, 12, 6, 1980), (64, 32, 4, 3136)] {
            let p = Parameters(["c0": .integer(c0), "k": .integer(k), "layers": .integer(L)])
            #expect(ex.parts[0].answer(p).intValue == expected)
            // Counting only the concatenations: Σ_{ℓ=2..L} (c0 + (ℓ−1)k) + (c0 + Lk).
            let concatenations = (2...L).reduce(0) { $0 + c0 + ($1 - 1) * k } + c0 + L * k
            #expect(ex.parts[0].mistakes[0].answer(p).intValue == concatenations)
        }
    }
}
