import CPNG

/// How many channels a decoder should produce.
public enum ColorMode: Sendable {
    /// As stored: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA).
    case unchanged
    /// One grey channel.
    case gray
    /// Three channels, red, green, blue.
    case rgb
    /// Four channels, RGB and alpha.
    case rgba
}

/// PNG through libpng's simplified `png_image` API, which reports errors in the struct instead
/// of calling `longjmp` into Swift.
///
/// Decoded samples are 8-bit and become k/255 in CHW order (16-bit files are reduced to 8 bits
/// by libpng). Converting colour to grey is done by libpng in linear light, which differs
/// slightly from PIL's `convert("L")`.
///
///     let image = try PNG.decode(file: "cat.png", mode: .rgb)   // Image, 3 x H x W
///     try PNG.write(image, to: "copy.png")                       // atomic
public enum PNG {
    // The PNG_FORMAT_* macros do not import into Swift.
    private static let flagAlpha: UInt32 = 0x01, flagColor: UInt32 = 0x02

    /// Decodes a PNG file.
    public static func decode(file path: String, mode: ColorMode = .unchanged) throws -> Image {
        try decode(try FileBytes.read(path), file: path, mode: mode)
    }

    /// Decodes PNG bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String, mode: ColorMode = .unchanged) throws -> Image {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.starts(with: signature) else {
            throw DataError(file: file, kind: .badMagic, "not a PNG file: it does not start with the signature 89 50 4E 47 0D 0A 1A 0A")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else { throw failure(&image, file: file, stage: "header") }

        let stored = image.format
        let format: UInt32
        switch mode {
        case .unchanged: format = stored & (flagAlpha | flagColor)
        case .gray: format = 0
        case .rgb: format = flagColor
        case .rgba: format = flagColor | flagAlpha
        }
        image.format = format
        let channels = 1 + Int(format & flagColor) + Int(format & flagAlpha)
        let (width, height) = (Int(image.width), Int(image.height))
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height * channels).overflow == false,
              width * height * channels <= 1 << 31 else {
            throw DataError(file: file, kind: .corrupt, "implausible PNG size \(width)x\(height)")
        }
        var samples = [UInt8](repeating: 0, count: width * height * channels)
        let finished = bytes.withUnsafeBytes { _ in
            samples.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        }
        guard finished != 0 else { throw failure(&image, file: file, stage: "image data") }
        return samples.withUnsafeBufferPointer { Image(interleaved: $0, channels: channels, height: height, width: width) }
    }

    /// Encodes an image with 1–4 channels as 8-bit PNG (values clamped to [0, 1], times 255, rounded).
    public static func encode(_ picture: Image) throws -> [UInt8] {
        precondition((1...4).contains(picture.channels), "PNG.encode: \(picture.channels) channels, PNG holds 1 to 4")
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(picture.width)
        image.height = UInt32(picture.height)
        image.format = [0, flagAlpha, flagColor, flagColor | flagAlpha][picture.channels - 1]
        defer { png_image_free(&image) }
        let samples = picture.interleavedBytes()
        var size = 0
        // First call measures, second writes.
        var ok = samples.withUnsafeBytes { png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw failure(&image, file: "<memory>", stage: "encoding") }
        var out = [UInt8](repeating: 0, count: size)
        ok = samples.withUnsafeBytes { s in
            out.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, s.baseAddress, 0, nil) }
        }
        guard ok != 0 else { throw failure(&image, file: "<memory>", stage: "encoding") }
        return Array(out[..<size])
    }

    /// Writes `image` as PNG to `path` atomically (temporary file, then rename).
    public static func write(_ image: Image, to path: String) throws {
        try FileBytes.writeAtomically(try encode(image), to: path)
    }

    private static func failure(_ image: inout png_image, file: String, stage: String) -> DataError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let text = message.isEmpty ? "libpng failed" : message
        let lower = text.lowercased()
        let kind: DataError.Kind = lower.contains("signature") ? .badMagic
            : (lower.contains("eof") || lower.contains("read error") || lower.contains("end of")) ? .truncated : .corrupt
        return DataError(file: file, kind: kind, "PNG \(stage): \(text)")
    }
}
