/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): a 4-byte magic number
/// `00 00 TT DD` (TT = element type, 0x08 for unsigned bytes; DD = number of dimensions), DD
/// big-endian UInt32 sizes, then the elements in row-major order.
///
///     let labels = try IDXFile.read("train-labels-idx1-ubyte.gz")  // gzip or raw
///     labels.dimensions   // [60000]
public struct IDXFile: Sendable {
    /// Element types the format defines, by their type byte.
    static let typeNames: [UInt8: String] = [0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short",
                                             0x0C: "int", 0x0D: "float", 0x0E: "double"]

    /// Sizes from the header, outermost first.
    public let dimensions: [Int]
    /// The elements (unsigned bytes), `dimensions.reduce(1, *)` of them.
    public let bytes: [UInt8]
    /// The path read.
    public let file: String

    /// Reads an IDX file of unsigned bytes, gunzipping it when it is gzip-compressed, and checks
    /// the magic number, the header and that exactly the announced number of elements follows.
    /// `expectedRank` (3 for images, 1 for labels) turns a swapped file into a `.badMagic` error.
    public static func read(_ path: String, expectedRank: Int? = nil) throws -> IDXFile {
        try parse(try Gzip.readMaybeCompressed(path), file: path, expectedRank: expectedRank)
    }

    /// Parses decompressed IDX bytes; `file` names the source in errors.
    public static func parse(_ data: [UInt8], file: String, expectedRank: Int? = nil) throws -> IDXFile {
        guard data.count >= 4 else {
            throw DataError(file: file, kind: .truncated, "\(data.count) bytes, too short for the 4-byte IDX magic number")
        }
        let magic = UInt32(data[0]) << 24 | UInt32(data[1]) << 16 | UInt32(data[2]) << 8 | UInt32(data[3])
        let hex = format08(Int(magic))
        let rank = Int(data[3])
        let expectedMagic = expectedRank.map { format08(0x800 + $0) } ?? "0x000008DD"
        guard data[0] == 0, data[1] == 0, let typeName = typeNames[data[2]], rank > 0 else {
            throw DataError(file: file, kind: .badMagic, "magic number \(hex) is not an IDX magic (expected \(expectedMagic))")
        }
        guard data[2] == 0x08 else {
            throw DataError(file: file, kind: .unsupported, "IDX elements of type \(typeName) (magic \(hex)); only unsigned bytes (0x08) are read")
        }
        if let expectedRank, rank != expectedRank {
            throw DataError(file: file, kind: .badMagic,
                            "magic number \(hex) announces \(rank) dimensions, expected \(expectedMagic) (\(expectedRank) dimensions)")
        }
        let headerSize = 4 + 4 * rank
        guard data.count >= headerSize else {
            throw DataError(file: file, kind: .truncated, "\(data.count) bytes, the \(rank)-dimensional IDX header needs \(headerSize)")
        }
        var dimensions = [Int](), elements = 1, overflow = false
        for d in 0..<rank {
            let o = 4 + 4 * d
            let size = Int(data[o]) << 24 | Int(data[o + 1]) << 16 | Int(data[o + 2]) << 8 | Int(data[o + 3])
            dimensions.append(size)
            (elements, overflow) = elements.multipliedReportingOverflow(by: size)
            if overflow { break }
        }
        let payload = data.count - headerSize
        if overflow || elements > payload {
            throw DataError(file: file, kind: .truncated,
                            "header announces dimensions \(dimensions) = \(overflow ? "too many" : String(elements)) bytes of data, the file has \(payload) after the \(headerSize)-byte header")
        }
        if elements < payload {
            throw DataError(file: file, kind: .sizeMismatch,
                            "\(payload - elements) unexpected bytes after the \(elements) announced by dimensions \(dimensions)")
        }
        return IDXFile(dimensions: dimensions, bytes: Array(data[headerSize...]), file: file)
    }

    /// Encodes unsigned bytes as IDX (header + data), the inverse of `parse`; for fixtures.
    public static func encode(dimensions: [Int], bytes: [UInt8]) -> [UInt8] {
        precondition(dimensions.reduce(1, *) == bytes.count, "IDXFile.encode: \(bytes.count) bytes for dimensions \(dimensions)")
        var out: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
        for d in dimensions { out += [UInt8(truncatingIfNeeded: d >> 24), UInt8(truncatingIfNeeded: d >> 16), UInt8(truncatingIfNeeded: d >> 8), UInt8(truncatingIfNeeded: d)] }
        return out + bytes
    }
}

private func format08(_ v: Int) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// Loads an image IDX file (`[N, H, W]`) and a label IDX file (`[N]`) as one dataset of
/// `[1, H, W]` images, checking that the counts agree and every label is below `classNames.count`.
public func loadIDXDataset(images imagesPath: String, labels labelsPath: String,
                           classNames: [String]) throws -> InMemoryDataset {
    let images = try IDXFile.read(imagesPath, expectedRank: 3)
    let labels = try IDXFile.read(labelsPath, expectedRank: 1)
    let (n, h, w) = (images.dimensions[0], images.dimensions[1], images.dimensions[2])
    guard labels.dimensions[0] == n else {
        throw DataError(file: labelsPath, kind: .sizeMismatch,
                        "\(labels.dimensions[0]) labels, but \(imagesPath) holds \(n) images")
    }
    guard h > 0, w > 0 else {
        throw DataError(file: imagesPath, kind: .sizeMismatch, "images of size \(h)x\(w)")
    }
    if let bad = labels.bytes.firstIndex(where: { Int($0) >= classNames.count }) {
        throw DataError(file: labelsPath, kind: .labelOutOfRange,
                        "label \(labels.bytes[bad]) of item \(bad) is outside 0..<\(classNames.count)")
    }
    return InMemoryDataset(imageShape: [1, h, w], pixels: .bytes(images.bytes),
                           labels: labels.bytes.map(Int.init), classNames: classNames)
}
