/// Bounds checks on a zip's directory before ZIPFoundation sees it.
///
/// ZIPFoundation (0.9.x) converts 64-bit ZIP64 offsets to `off_t` and adds sizes without
/// overflow checks, so an archive whose ZIP64 fields hold values ≥ 2⁶³ traps instead of
/// throwing (found by the fuzz test). This is not a zip reader: it only locates the end-of-
/// central-directory records and the ZIP64 extra fields and refuses 64-bit values no real
/// checkpoint has (≥ 2⁴⁰ bytes), so every value ZIPFoundation computes with stays small.
enum ZipPreflight {
    static let largestValue: UInt64 = 1 << 40

    static func check(_ b: UnsafeRawBufferPointer, file: String) throws {
        func fail(_ m: String) -> CheckpointError { .invalidArchive(file: file, message: m) }
        func u16(_ o: Int) -> UInt64 { UInt64(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))) }
        func u32(_ o: Int) -> UInt64 { UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self))) }
        func u64(_ o: Int) -> UInt64 { UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)) }
        func small(_ v: UInt64, _ what: String) throws { guard v < largestValue else { throw fail("\(what) \(v) is implausibly large") } }

        // End of central directory: the last "PK\5\6" within 22 + 65535 bytes of the end.
        guard b.count >= 22 else { throw fail("\(b.count) bytes is too short for a zip archive") }
        var eocd = -1
        for o in stride(from: b.count - 22, through: max(0, b.count - 22 - 65_535), by: -1) where u32(o) == 0x0605_4B50 {
            eocd = o; break
        }
        guard eocd >= 0 else { throw fail("no end-of-central-directory record") }
        var directoryOffset = u32(eocd + 16), directorySize = u32(eocd + 12)
        // ZIP64 end-of-central-directory locator right before it: "PK\6\7".
        if eocd >= 20 && u32(eocd - 20) == 0x0706_4B50 {
            let record = u64(eocd - 20 + 8)
            try small(record, "ZIP64 record offset")
            guard Int(record) + 56 <= b.count, u32(Int(record)) == 0x0606_4B50 else { throw fail("ZIP64 end record out of place") }
            for field in [24, 32, 40, 48] { try small(u64(Int(record) + field), "ZIP64 directory value") }
            directorySize = u64(Int(record) + 40)
            directoryOffset = u64(Int(record) + 48)
        }
        guard directoryOffset + directorySize <= UInt64(b.count) else { throw fail("central directory lies outside the file") }

        // Central directory entries ("PK\1\2"): the ZIP64 extra field (id 1) holds 8-byte values.
        var o = Int(directoryOffset)
        let end = Int(directoryOffset + directorySize)
        while o + 46 <= end && u32(o) == 0x0201_4B50 {
            let nameLength = Int(u16(o + 28)), extraLength = Int(u16(o + 30)), commentLength = Int(u16(o + 32))
            var e = o + 46 + nameLength
            let extraEnd = e + extraLength
            guard extraEnd <= b.count else { throw fail("central directory entry runs past the end") }
            while e + 4 <= extraEnd {
                let id = u16(e), size = Int(u16(e + 2))
                if id == 1 {
                    var v = e + 4
                    while v + 8 <= min(e + 4 + size, extraEnd) { try small(u64(v), "ZIP64 size or offset"); v += 8 }
                }
                e += 4 + size
            }
            o = extraEnd + commentLength
        }
    }
}
