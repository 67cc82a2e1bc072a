import CNN

/// A permutation of `0..<count` from Fisher–Yates on a `SeededGenerator(seed:)`: the same seed
/// gives the same order on every run and machine.
public func seededPermutation(_ count: Int, seed: UInt64) -> [Int] {
    var g = SeededGenerator(seed: seed)
    var order = Array(0..<count)
    var i = count - 1
    while i > 0 {
        let j = Int(g.next() % UInt64(i + 1))  // modulo bias < 2^-40 for any realistic count
        order.swapAt(i, j)
        i -= 1
    }
    return order
}

/// Mixes several integers into one seed (SplitMix64 finaliser after each), so that
/// (seed, epoch, index) triples give independent generators.
public func mixSeed(_ parts: UInt64...) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15
    for p in parts {
        h ^= p &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2)
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 31
    }
    return h
}
