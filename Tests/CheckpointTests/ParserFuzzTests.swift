import Foundation
import Testing
import CNN
import Checkpoint

/// Seeded random mutations of valid files: every outcome must be a value or a `CheckpointError`,
/// never a crash, a hang or another error type. CHECKPOINT_FUZZ_ITERATIONS raises the count for a
/// longer session (the suite default keeps it to about a second).
struct Mutator {
    var generator: SeededGenerator

    mutating func below(_ n: Int) -> Int { Int(generator.next() % UInt64(max(n, 1))) }

    /// One to four edits, biased toward the first `hotBytes` (headers, where parsers decide).
    mutating func mutate(_ input: [UInt8], hotBytes: Int) -> [UInt8] {
        var b = input
        for _ in 0...below(4) {
            let at = below(4) == 0 ? below(b.count) : below(min(hotBytes, b.count))
            switch below(8) {
            case 0: if !b.isEmpty { b[at] ^= UInt8(1 << below(8)) }
            case 1: if !b.isEmpty { b[at] = [0, 0xFF, 0x7F, 0x80, 0x28, 0x2E, 0x5D, 0x7D][below(8)] }
            case 2: b.insert(UInt8(truncatingIfNeeded: generator.next()), at: min(at, b.count))
            case 3: if !b.isEmpty { b.removeSubrange(at..<min(b.count, at + 1 + below(16))) }
            case 4: b = Array(b.prefix(below(b.count + 1)))
            case 5: if b.count > 8 {   // an interesting 4-byte little-endian integer (lengths)
                let v: UInt32 = [0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, UInt32(b.count)][below(6)]
                let p = min(at, b.count - 4)
                withUnsafeBytes(of: v.littleEndian) { b.replaceSubrange(p..<p + 4, with: $0) }
            }
            case 6: if b.count > 2 {   // duplicate a range somewhere else
                let start = below(b.count), end = min(b.count, start + 1 + below(32))
                b.insert(contentsOf: b[start..<end], at: below(b.count))
            }
            default: if !b.isEmpty { b[at] = UInt8(truncatingIfNeeded: generator.next()) }
            }
        }
        return b
    }
}

/// Runs `parse` on `iterations` mutants of `seed`; returns (accepted, rejected) counts.
func fuzz(_ seed: [UInt8], hotBytes: Int, iterations: Int, randomSeed: UInt64, _ parse: ([UInt8]) throws -> StateDict) -> (Int, Int) {
    var mutator = Mutator(generator: SeededGenerator(seed: randomSeed))
    var accepted = 0, rejected = 0
    for i in 0..<iterations {
        let input = mutator.mutate(seed, hotBytes: hotBytes)
        do {
            let sd = try parse(input)
            for t in sd.tensors { _ = t.tensor() }    // decoding must stay in bounds
            accepted += 1
        } catch is CheckpointError {
            rejected += 1
        } catch {
            Issue.record("mutation \(i): unexpected error type \(type(of: error)): \(error)")
        }
    }
    return (accepted, rejected)
}

let fuzzIterations = Int(ProcessInfo.processInfo.environment["CHECKPOINT_FUZZ_ITERATIONS"] ?? "") ?? 3000

@Suite("Parser fuzzing (seeded)")
struct ParserFuzzTests {
    @Test func safetensorsParser() {
        let seed = Fixtures.bytes("mlp.safetensors")
        let (accepted, rejected) = fuzz(seed, hotBytes: 700, iterations: fuzzIterations, randomSeed: 1) { try SafeTensors.read(bytes: $0) }
        #expect(accepted + rejected == fuzzIterations)
        #expect(rejected > fuzzIterations / 4)   // the mutator does reach the checks
    }

    @Test func restrictedUnpickler() {
        let seed = Fixtures.bytes("mlp_data.pkl")
        var mutator = Mutator(generator: SeededGenerator(seed: 2))
        var rejected = 0
        for i in 0..<fuzzIterations {
            do { _ = try TorchArchive._unpickleForTesting(mutator.mutate(seed, hotBytes: seed.count)) }
            catch is CheckpointError { rejected += 1 }
            catch { Issue.record("mutation \(i): unexpected error type \(type(of: error)): \(error)") }
        }
        #expect(rejected > fuzzIterations / 4)
    }

    @Test func torchZipArchive() {
        let seed = Fixtures.bytes("mlp.pth")
        let n = max(fuzzIterations / 10, 1)   // each mutant goes through a temporary file
        let (accepted, rejected) = fuzz(seed, hotBytes: seed.count, iterations: n, randomSeed: 3) { try TorchArchive.read(bytes: $0) }
        #expect(accepted + rejected == n)
    }
}
