import Foundation
import Testing
import Datasets
import CNN

// Fixtures written by Pillow (Reference/codec_fixtures.py); the pixel formulas are recomputed here.
private let rgbPNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAG0lEQVR4nGPkYmWwYRCEIBaGFBcGBkEIQuEAADo4ArZCBMmcAAAAAElFTkSuQmCC"
private let greyPNG = "iVBORw0KGgoAAAANSUhEUgAAAAUAAAACCAAAAAC1AUmBAAAAFElEQVR4nGNkkJSUlGSslZSUlAQABtsBSAlfQsIAAAAASUVORK5CYII="
private let greyJPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQH/wAALCAAQABABAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/AP5/6/0AK/z/AOv9ACv/2Q=="
private let rgbJPEG = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAAQABADAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD5Hr8fP9UDz+v9vD/Cs9Ar/EM/3UPP6/28P8Kz/9k="

private func bytes(_ base64: String) -> [UInt8] { Array(Data(base64Encoded: base64)!) }

@Suite("PNG and JPEG decoding")
struct CodecTests {
    @Test func pngFromPillowDecodesToTheFormula() throws {
        let image = try PNG.decode(bytes(rgbPNG), file: "rgb.png")
        #expect(image.shape == [3, 3, 4])
        for y in 0..<3 {
            for x in 0..<4 {
                #expect(image[0, y, x] == Float(60 * x + 10) / 255)
                #expect(image[1, y, x] == Float(100 * y + 5) / 255)
                #expect(image[2, y, x] == Float(17 * (x + 4 * y)) / 255)
            }
        }
        let grey = try PNG.decode(bytes(greyPNG), file: "grey.png")
        #expect(grey.shape == [1, 2, 5])
        #expect(grey.pixels == (0..<10).map { Float(25 * $0) / 255 })
        // Grey to RGB replicates the value (no gamma change for 8-bit sRGB grey).
        let asRGB = try PNG.decode(bytes(greyPNG), file: "grey.png", mode: .rgb)
        #expect(asRGB.shape == [3, 2, 5])
        #expect(asRGB[2, 1, 4] == Float(225) / 255)
    }

    @Test func pngRoundTripsThroughTheEncoderAndAFile() throws {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        for channels in 1...4 {
            let pixels = (0..<(channels * 6 * 7)).map { Float(($0 * 37) % 256) / 255 }
            let image = Image(channels: channels, height: 6, width: 7, pixels: pixels)
            let path = scratch.path + "/round\(channels).png"
            try PNG.write(image, to: path)
            #expect(try PNG.decode(file: path) == image)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
                == ["round1.png", "round2.png", "round3.png", "round4.png"])   // no temporary files left
    }

    @Test func jpegFromPillowDecodesLikePillow() throws {
        let grey = try JPEG.decode(bytes(greyJPEG), file: "grey.jpg")
        #expect(grey.shape == [1, 16, 16])
        // PIL decodes row 0 as 64 x 8 then 192 x 8 (quality 100, block-aligned edges).
        #expect(Array(grey.pixels[0..<16]) == (0..<16).map { Float($0 < 8 ? 64 : 192) / 255 })
        let colour = try JPEG.decode(bytes(rgbJPEG), file: "rgb.jpg")
        #expect(colour.shape == [3, 16, 16])
        // PIL: pixel (0, 0) = (200, 30, 39), pixel (15, 15) = (20, 60, 220); allow one step for IDCT variants.
        let expected: [(Int, Int, [Float])] = [(0, 0, [200, 30, 39]), (15, 15, [20, 60, 220])]
        for (y, x, rgb) in expected {
            for c in 0..<3 { #expect(abs(colour[c, y, x] * 255 - rgb[c]) <= 1.001) }
        }
        #expect(try JPEG.decode(bytes(rgbJPEG), file: "rgb.jpg", mode: .gray).channels == 1)
    }

    @Test func jpegEncoderRoundTripsClosely() throws {
        // Flat 8x8 blocks of levels 0.1, 0.35, 0.6, 0.85: JPEG keeps block-constant images almost exactly.
        let pixels: [Float] = (0..<(3 * 16 * 24)).map { (i: Int) -> Float in
            let row = i / 24, column = i % 24
            let level = (row / 8 + column / 8) % 4
            return Float(level) / 4 + 0.1
        }
        let image = Image(channels: 3, height: 16, width: 24, pixels: pixels)
        let back = try JPEG.decode(try JPEG.encode(image, quality: 98), file: "memory.jpg")
        #expect(back.shape == image.shape)
        let worst = zip(back.pixels, image.pixels).map { abs($0 - $1) }.max()!
        #expect(worst < 0.06)
    }

    @Test func truncatedAndCorruptPNGAreErrorsNotCrashes() {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        let good = bytes(rgbPNG)
        let cut = scratch.write("cut.png", Array(good[..<40]))
        let error = expectDataError(.truncated, file: cut) { _ = try PNG.decode(file: cut) }
        #expect(error?.detail.hasPrefix("PNG") == true)
        var flipped = good
        flipped[0] = 0x88
        let magic = scratch.write("magic.png", flipped)
        let magicError = expectDataError(.badMagic, file: magic) { _ = try PNG.decode(file: magic) }
        #expect(magicError?.detail.contains("signature") == true)
        var damaged = good
        damaged[45] ^= 0xFF   // inside the IDAT chunk: the CRC no longer matches
        let crc = scratch.write("crc.png", damaged)
        let crcError = expectDataError(.corrupt, file: crc) { _ = try PNG.decode(file: crc) }
        #expect(crcError?.detail.isEmpty == false)
        let missing = scratch.path + "/none.png"
        expectDataError(.missing, file: missing) { _ = try PNG.decode(file: missing) }
    }

    @Test func truncatedAndCorruptJPEGAreErrorsNotCrashes() throws {
        let scratch = ScratchFolder()
        defer { scratch.cleanup() }
        // A 64x64 noisy JPEG, cut in the middle of its entropy-coded data.
        var g = SeededGenerator(seed: 3)
        let noisy = Image(channels: 3, height: 64, width: 64, pixels: (0..<(3 * 64 * 64)).map { _ in g.nextUniform() })
        let whole = try JPEG.encode(noisy, quality: 90)
        let cut = scratch.write("cut.jpg", Array(whole[..<(whole.count * 2 / 3)]))
        let error = expectDataError(.truncated, file: cut) { _ = try JPEG.decode(file: cut) }
        #expect(error?.detail.contains("Premature end") == true)
        let good = bytes(rgbJPEG)
        let headerOnly = scratch.write("header.jpg", Array(good[..<100]))
        expectDataError(.corrupt, file: headerOnly) { _ = try JPEG.decode(file: headerOnly) }
        let png = scratch.write("png.jpg", bytes(rgbPNG))
        let magic = expectDataError(.badMagic, file: png) { _ = try JPEG.decode(file: png) }
        #expect(magic?.detail.contains("FF D8") == true)
        var garbage = good
        for k in 200..<260 { garbage[k] = 0x00 }   // wipe the Huffman tables
        let bad = scratch.write("bad.jpg", garbage)
        do {
            _ = try JPEG.decode(file: bad)
            Issue.record("a JPEG with wiped Huffman tables decoded without complaint")
        } catch let e as DataError {
            #expect(e.file == bad)
            #expect(e.kind == .corrupt || e.kind == .truncated)
        } catch { Issue.record("unexpected \(error)") }
    }
}
