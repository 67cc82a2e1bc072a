import Foundation
import Synchronization

/// A small, fast, seedable generator (xoshiro256**, seeded through SplitMix64).
///
/// The sequence depends only on the seed, so a seed gives the same weights, batches and
/// dropout masks on every run and machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(&x), splitMix(&x), splitMix(&x), splitMix(&x))
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1), 24 random bits.
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Standard normal (Box–Muller in Double, so every platform rounds alike).
    public mutating func nextNormal() -> Float {
        let u1 = Double((next() >> 11) + 1) * 0x1p-53   // (0, 1]
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// A new generator whose stream is independent of this one (for workers, layers).
    public mutating func split() -> SeededGenerator { SeededGenerator(seed: next()) }

    /// The four state words, for checkpoints (a resumed run continues the same stream).
    public var state: [UInt64] {
        get { [s.0, s.1, s.2, s.3] }
        set {
            precondition(newValue.count == 4, "SeededGenerator.state: expected 4 words, got \(newValue.count)")
            s = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }
}

extension SeededGenerator: Codable {
    public init(from decoder: Decoder) throws {
        self.init(seed: 0)
        let words = try decoder.singleValueContainer().decode([UInt64].self)
        guard words.count == 4 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "generator state needs 4 words, got \(words.count)"))
        }
        state = words
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(state)
    }
}

/// The engine's default generator, used when an initialiser or dropout gets no explicit one.
/// `Random.seed(_:)` is `torch.manual_seed`.
public enum Random {
    private static let shared = Mutex(SeededGenerator(seed: 0))

    /// Restarts the default stream from `seed`.
    public static func seed(_ seed: UInt64) { shared.withLock { $0 = SeededGenerator(seed: seed) } }

    /// Runs `body` with exclusive access to the default generator.
    public static func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R {
        shared.withLock { body(&$0) }
    }

    /// The default generator's state (save it in a checkpoint, restore it on resume).
    public static var generator: SeededGenerator {
        get { shared.withLock { $0 } }
        set { shared.withLock { $0 = newValue } }
    }

    /// A child generator drawn from the default stream.
    public static func split() -> SeededGenerator { withGenerator { $0.split() } }
}
