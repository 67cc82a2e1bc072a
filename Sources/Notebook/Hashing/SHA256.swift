// SHA-256 as specified in FIPS 180-4, section 6.2. Written here because CryptoKit does not exist on
// Linux and the notebook must depend on Foundation only. It hashes cache keys and source files,
// so it must be exact, not fast: ~300 MB/s in release is plenty for a few MB of sources.
import Foundation

/// A streaming SHA-256 hasher (FIPS 180-4).
///
/// ```swift
/// var h = SHA256()
/// h.update("abc")
/// h.finalizeHex()   // "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// ```
/// - Complexity: O(n) in the number of bytes hashed.
public struct SHA256: Sendable {
    /// First 32 bits of the fractional parts of the cube roots of the first 64 primes (FIPS 180-4 §4.2.2).
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// Initial hash value H(0) (FIPS 180-4 §5.3.3).
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    private var buffer: [UInt8] = []      // < 64 bytes waiting for a full block
    private var byteCount: UInt64 = 0

    /// A hasher in the initial state.
    public init() { buffer.reserveCapacity(64) }

    /// Feeds bytes into the hash.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            buffer.append(byte)
            if buffer.count == 64 { compressBuffer() }
        }
        // byteCount is updated per block in compressBuffer and per remainder in finalize.
    }

    /// Feeds a `Data` value; whole blocks are compressed straight from its storage.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { raw in update(UnsafeRawBufferPointer(raw)) }
    }

    /// Feeds raw memory.
    public mutating func update(_ raw: UnsafeRawBufferPointer) {
        var offset = 0
        if !buffer.isEmpty {
            let take = min(64 - buffer.count, raw.count)
            buffer.append(contentsOf: raw[0..<take])
            offset = take
            if buffer.count == 64 { compressBuffer() }
        }
        while raw.count - offset >= 64 {
            compress(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 64]))
            byteCount &+= 64
            offset += 64
        }
        if offset < raw.count { buffer.append(contentsOf: raw[offset...]) }
    }

    /// Feeds the UTF-8 bytes of a string.
    public mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    private mutating func compressBuffer() {
        let block = buffer
        block.withUnsafeBytes { compress($0) }
        byteCount &+= 64
        buffer.removeAll(keepingCapacity: true)
    }

    /// The SHA-256 compression function on one 512-bit block (FIPS 180-4 §6.2.2).
    private mutating func compress(_ block: UnsafeRawBufferPointer) {
        @inline(__always) func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
        var w = [UInt32](repeating: 0, count: 64)
        for t in 0..<16 {
            // Message words are big-endian.
            w[t] = UInt32(block[t &* 4]) << 24 | UInt32(block[t &* 4 &+ 1]) << 16
                | UInt32(block[t &* 4 &+ 2]) << 8 | UInt32(block[t &* 4 &+ 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = state
        for t in 0..<64 {
            let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = h &+ bigSigma1 &+ ch &+ SHA256.k[t] &+ w[t]
            let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = bigSigma0 &+ maj
            h = g; g = f; f = e; e = d &+ t1
            d = c; c = b; b = a; a = t1 &+ t2
        }
        state = (state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d,
                 state.4 &+ e, state.5 &+ f, state.6 &+ g, state.7 &+ h)
    }

    /// Pads the message (a 1 bit, zeros, the 64-bit big-endian bit length) and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        let bitLength = (byteCount &+ UInt64(buffer.count)) &* 8
        buffer.append(0x80)
        if buffer.count > 56 {
            while buffer.count < 64 { buffer.append(0) }
            compressBuffer()
        }
        while buffer.count < 56 { buffer.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        compressBuffer()
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return words.flatMap { word in [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> UInt32($0)) } }
    }

    /// The digest as 64 lowercase hex digits.
    public mutating func finalizeHex() -> String { SHA256.hex(finalize()) }

    /// Lowercase hex of arbitrary bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0f)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// SHA-256 of a string's UTF-8 bytes, as hex.
    public static func hex(of string: String) -> String {
        var h = SHA256(); h.update(string); return h.finalizeHex()
    }

    /// SHA-256 of bytes, as hex.
    public static func hex(of data: Data) -> String {
        var h = SHA256(); h.update(data); return h.finalizeHex()
    }

    /// SHA-256 of a file's contents, read in 1 MiB chunks, as hex.
    /// - Throws: `NotebookError.unreadable` naming the file.
    public static func hex(ofFile url: URL) throws -> String {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw NotebookError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var h = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw NotebookError.unreadable(path: url.path, reason: "\(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            h.update(chunk)
        }
        return h.finalizeHex()
    }
}
