import CGzip

/// gzip (RFC 1952) through zlib: Foundation cannot gunzip.
///
/// `decompress` accepts concatenated members (as `gzip` writes when appending) and reports a stream
/// that stops early as `.truncated` and bad deflate data as `.corrupt`, with zlib's message.
public enum Gzip {
    /// True when `bytes` start with the gzip magic 1f 8b.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed content of a gzip stream; `file` only names the source in errors.
    public static func decompress(_ input: [UInt8], file: String) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: gzip wrapper only (a zlib or raw stream here is corrupt input).
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(file: file, kind: .unreadable, "zlib could not start inflating (out of memory?)")
        }
        defer { inflateEnd(&stream) }

        var output = [UInt8]()
        output.reserveCapacity(sizeHint(input))
        let chunk = 1 << 20
        var window = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { source in
            var consumed = 0
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(clamping: source.count)
            while true {
                let status = window.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: out[0..<(chunk - Int(stream.avail_out))])
                    return status
                }
                consumed = source.count - Int(stream.avail_in)
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let rest = source[consumed...]
                    if rest.isEmpty || rest.allSatisfy({ $0 == 0 }) { return }  // gzip ignores zero padding too
                    guard rest.count >= 2, rest[consumed] == 0x1F, rest[consumed + 1] == 0x8B else {
                        throw DataError(file: file, kind: .corrupt,
                                        "\(rest.count) bytes of trailing garbage after the gzip stream at offset \(consumed)")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DataError(file: file, kind: .truncated,
                                    "gzip stream ends early: \(source.count) compressed bytes gave \(output.count) bytes and no end marker")
                case Z_DATA_ERROR, Z_NEED_DICT:
                    let message = stream.msg.map { String(cString: $0) } ?? "invalid deflate data"
                    throw DataError(file: file, kind: .corrupt,
                                    "gzip data is corrupt near compressed byte \(consumed): \(message)")
                case Z_MEM_ERROR:
                    throw DataError(file: file, kind: .unreadable, "zlib ran out of memory after \(output.count) bytes")
                default:
                    throw DataError(file: file, kind: .corrupt, "zlib inflate returned \(status) at compressed byte \(consumed)")
                }
            }
        }
        return output
    }

    /// gzip-compresses `input` (level 0–9); for writing fixtures and caches.
    public static func compress(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "Gzip.compress: deflateInit2 failed with \(status) (level \(level))")
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                let finished = deflate(&stream, Z_FINISH)
                precondition(finished == Z_STREAM_END, "Gzip.compress: deflate returned \(finished)")
            }
        }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Reads `path` and gunzips it when it starts with the gzip magic; raw files pass through.
    public static func readMaybeCompressed(_ path: String) throws -> [UInt8] {
        let bytes = try FileBytes.read(path)
        return isCompressed(bytes) ? try decompress(bytes, file: path) : bytes
    }

    /// The ISIZE trailer (uncompressed size mod 2^32) as a capacity hint, bounded so a corrupt
    /// trailer cannot make us reserve gigabytes.
    private static func sizeHint(_ input: [UInt8]) -> Int {
        guard input.count >= 18 else { return 0 }
        let n = input.count
        let isize = Int(input[n - 4]) | Int(input[n - 3]) << 8 | Int(input[n - 2]) << 16 | Int(input[n - 1]) << 24
        return min(isize, input.count * 64 + (1 << 20))
    }
}
