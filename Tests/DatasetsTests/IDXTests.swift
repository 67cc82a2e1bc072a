import Testing
import Datasets

/// Small IDX files built byte by byte: 3 images of 2x3 and 3 labels.
private let imageBytes: [UInt8] = Array(0..<18)
private let goodImages = IDXFile.encode(dimensions: [3, 2, 3], bytes: imageBytes)
private let goodLabels = IDXFile.encode(dimensions: [3], bytes: [2, 0, 1])

@Suite("IDX reader")
struct IDXTests {
    @Test func headerIsBigEndianMagicThenSizes() {
        // 00 00 08 03 | 00 00 00 03 | 00 00 00 02 | 00 00 00 03 | data
        #expect(Array(goodImages[0..<16]) == [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3])
    }

    @Test func readsRawAndGzipTheSame() throws {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let raw = scratch.write("images", goodImages)
        let gz = scratch.write("images.gz", Gzip.compress(goodImages))
        let a = try IDXFile.read(raw, expectedRank: 3), b = try IDXFile.read(gz, expectedRank: 3)
        #expect(a.dimensions == [3, 2, 3])
        #expect(a.bytes == imageBytes)
        #expect(b.bytes == imageBytes)
        let labels = scratch.write("labels.gz", Gzip.compress(goodLabels))
        let data = try loadIDXDataset(images: gz, labels: labels, classNames: ["a", "b", "c"])
        #expect(data.count == 3)
        #expect(data.imageShape == [1, 2, 3])
        #expect(data.item(1).image.pixels == (6..<12).map { Float($0) / 255 })
        #expect(data.item(1).label == 0)
    }

    @Test func concatenatedGzipMembersAreOneStream() throws {
        let joined = Gzip.compress(Array(goodImages[..<10])) + Gzip.compress(Array(goodImages[10...]))
        #expect(try Gzip.decompress(joined, file: "joined.gz") == goodImages)
    }

    @Test func truncatedGzipIsReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let full = Gzip.compress(goodImages)
        let path = scratch.write("cut.gz", Array(full[..<(full.count / 2)]))
        let error = expectDataError(.truncated, file: path) { _ = try IDXFile.read(path) }
        #expect(error?.detail.contains("ends early") == true)
    }

    @Test func corruptGzipIsReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        var bytes = Gzip.compress([UInt8](repeating: 7, count: 4000) + goodImages)
        bytes[10] = 0xFF; bytes[11] = 0xFF  // first bytes of the deflate stream: an invalid block type
        let path = scratch.write("corrupt.gz", bytes)
        let error = expectDataError(.corrupt, file: path) { _ = try IDXFile.read(path) }
        #expect(error?.detail.contains("corrupt") == true)
    }

    @Test func wrongMagicNumberIsReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        var bytes = goodImages
        bytes[0] = 0x1A
        let path = scratch.write("magic", bytes)
        let error = expectDataError(.badMagic, file: path) { _ = try IDXFile.read(path, expectedRank: 3) }
        #expect(error?.detail.contains("0x1A000803") == true)
        #expect(error?.detail.contains("0x00000803") == true)
        // A labels file where images are expected: magic 0x801, not 0x803.
        let labels = scratch.write("labels", goodLabels)
        let swapped = expectDataError(.badMagic, file: labels) { _ = try IDXFile.read(labels, expectedRank: 3) }
        #expect(swapped?.detail.contains("0x00000801") == true)
    }

    @Test func truncatedPayloadAndTrailingBytesAreReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let short = scratch.write("short", Array(goodImages.dropLast(5)))
        let error = expectDataError(.truncated, file: short) { _ = try IDXFile.read(short) }
        #expect(error?.detail.contains("18 bytes") == true)
        #expect(error?.detail.contains("13") == true)
        let long = scratch.write("long", goodImages + [1, 2])
        expectDataError(.sizeMismatch, file: long) { _ = try IDXFile.read(long) }
        let tiny = scratch.write("tiny", [0, 0])
        expectDataError(.truncated, file: tiny) { _ = try IDXFile.read(tiny) }
        // A corrupt header announcing 2^32-ish elements per axis must not overflow or allocate.
        let huge = scratch.write("huge", [0, 0, 8, 3, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1])
        expectDataError(.truncated, file: huge) { _ = try IDXFile.read(huge) }
        let floats = scratch.write("floats", [0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        expectDataError(.unsupported, file: floats) { _ = try IDXFile.read(floats) }
    }

    @Test func labelOutOfRangeAndCountMismatchAreReported() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let images = scratch.write("images", goodImages)
        let badLabels = scratch.write("labels", IDXFile.encode(dimensions: [3], bytes: [2, 11, 1]))
        let error = expectDataError(.labelOutOfRange, file: badLabels) {
            _ = try loadIDXDataset(images: images, labels: badLabels, classNames: (0..<10).map(String.init))
        }
        #expect(error?.detail.contains("label 11 of item 1") == true)
        let fewer = scratch.write("fewer", IDXFile.encode(dimensions: [2], bytes: [0, 1]))
        let mismatch = expectDataError(.sizeMismatch, file: fewer) {
            _ = try loadIDXDataset(images: images, labels: fewer, classNames: ["a", "b", "c"])
        }
        #expect(mismatch?.detail.contains("3 images") == true)
    }
}
