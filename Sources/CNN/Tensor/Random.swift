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

    /// The four state words, for checkpoints: `SeededGenerator(state:)` continues the stream
    /// exactly where this one stands.
    public var state: [UInt64] { [s.0, s.1, s.2, s.3] }

    /// Restores a generator saved with `state`.
    public init(state: [UInt64]) {
        precondition(state.count == 4, "SeededGenerator(state:): expects 4 words, got \(state.count)")
        precondition(state.contains { $0 != 0 }, "SeededGenerator(state:): the all-zero state is not a valid xoshiro state")
        s = (state[0], state[1], state[2], state[3])
    }
}

/// A generator shared by reference, that a task can install as its default stream
/// (`Random.using(_:_:)`): a training run owns its dropout/shuffling stream and can save and
/// restore it, undisturbed by other runs in the same process.
public final class RandomStream: @unchecked Sendable {
    private let generator: Mutex<SeededGenerator>

    public init(seed: UInt64) { generator = Mutex(SeededGenerator(seed: seed)) }
    public init(_ generator: SeededGenerator) { self.generator = Mutex(generator) }

    /// Runs `body` with exclusive access to the generator.
    public func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R { generator.withLock { body(&$0) } }

    /// The generator's state words (see `SeededGenerator.state`).
    public var state: [UInt64] {
        get { withGenerator { $0.state } }
        set { withGenerator { $0 = SeededGenerator(state: newValue) } }
    }
}

/// The engine's default generator, used when an initialiser or dropout gets no explicit one.
/// `Random.seed(_:)` is `torch.manual_seed`.
///
/// Inside `Random.using(stream) { ... }` the default stream is `stream` for the current task
/// (synchronous code on the calling thread; work split over other threads does not see it).
public enum Random {
    private static let shared = Mutex(SeededGenerator(seed: 0))
    @TaskLocal private static var installed: RandomStream?

    /// Restarts the default stream from `seed` (the installed stream's, if any).
    public static func seed(_ seed: UInt64) {
        if let installed { installed.withGenerator { $0 = SeededGenerator(seed: seed) }; return }
        shared.withLock { $0 = SeededGenerator(seed: seed) }
    }

    /// Runs `body` with exclusive access to the default generator.
    public static func withGenerator<R>(_ body: (inout SeededGenerator) -> R) -> R {
        if let installed { return installed.withGenerator(body) }
        return shared.withLock { body(&$0) }
    }

    /// Runs `body` with `stream` as the default generator of the current task.
    public static func using<R>(_ stream: RandomStream, _ body: () throws -> R) rethrows -> R {
        try $installed.withValue(stream, operation: body)
    }

    /// A child generator drawn from the default stream.
    public static func split() -> SeededGenerator { withGenerator { $0.split() } }
}
