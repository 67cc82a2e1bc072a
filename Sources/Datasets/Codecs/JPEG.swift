import CTurboJPEG

/// JPEG through TurboJPEG, whose calls return error codes (libjpeg's default error handler
/// calls `exit()`, and Swift cannot `setjmp`).
///
/// A warning from libjpeg (for instance "Premature end of JPEG file" on a truncated file) is an
/// error here: a silently grey-filled image is worse than a message.
///
///     let image = try JPEG.decode(file: "dog.jpg")   // 3 x H x W (1 x H x W for greyscale JPEGs)
public enum JPEG {
    /// Decodes a JPEG file. `.unchanged` gives 1 channel for greyscale JPEGs and 3 otherwise;
    /// `.rgba` adds an opaque alpha channel.
    public static func decode(file path: String, mode: ColorMode = .unchanged) throws -> Image {
        try decode(try FileBytes.read(path), file: path, mode: mode)
    }

    /// Decodes JPEG bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String, mode: ColorMode = .unchanged) throws -> Image {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw DataError(file: file, kind: .badMagic, "not a JPEG file: it does not start with the SOI marker FF D8")
        }
        guard let handle = tjInitDecompress() else {
            throw DataError(file: file, kind: .unreadable, "TurboJPEG could not start: \(String(cString: tjGetErrorStr2(nil)))")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let header = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorspace)
        }
        guard header == 0 else { throw failure(handle, file: file, stage: "header") }
        let isGray = colorspace == Int32(TJCS_GRAY.rawValue)
        let (channels, format): (Int, TJPF) = switch mode {
        case .gray: (1, TJPF_GRAY)
        case .unchanged: isGray ? (1, TJPF_GRAY) : (3, TJPF_RGB)
        case .rgb: (3, TJPF_RGB)
        case .rgba: (4, TJPF_RGBA)
        }
        var samples = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        let status = bytes.withUnsafeBufferPointer { src in
            samples.withUnsafeMutableBufferPointer { dst in
                tjDecompress2(handle, src.baseAddress, UInt(src.count), dst.baseAddress, width, 0, height,
                              format.rawValue, TJFLAG_ACCURATEDCT)
            }
        }
        guard status == 0 else { throw failure(handle, file: file, stage: "image data") }
        return samples.withUnsafeBufferPointer {
            Image(interleaved: $0, channels: channels, height: Int(height), width: Int(width))
        }
    }

    /// Encodes a 1- or 3-channel image as baseline JPEG (4:4:4 chroma, `quality` 1–100).
    public static func encode(_ image: Image, quality: Int = 95) throws -> [UInt8] {
        precondition(image.channels == 1 || image.channels == 3, "JPEG.encode: \(image.channels) channels, expected 1 or 3")
        precondition((1...100).contains(quality), "JPEG.encode: quality \(quality) outside 1...100")
        guard let handle = tjInitCompress() else {
            throw DataError(file: "<memory>", kind: .unreadable, "TurboJPEG could not start a compressor")
        }
        defer { tjDestroy(handle) }
        let samples = image.interleavedBytes()
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let gray = image.channels == 1
        let status = samples.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(image.width), 0, Int32(image.height),
                        (gray ? TJPF_GRAY : TJPF_RGB).rawValue, &buffer, &size,
                        Int32((gray ? TJSAMP_GRAY : TJSAMP_444).rawValue), Int32(quality), TJFLAG_ACCURATEDCT)
        }
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer else { throw failure(handle, file: "<memory>", stage: "encoding") }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// Writes `image` as JPEG to `path` atomically.
    public static func write(_ image: Image, to path: String, quality: Int = 95) throws {
        try FileBytes.writeAtomically(try encode(image, quality: quality), to: path)
    }

    private static func failure(_ handle: tjhandle, file: String, stage: String) -> DataError {
        let message = String(cString: tjGetErrorStr2(handle))
        let lower = message.lowercased()
        let kind: DataError.Kind = (lower.contains("premature end") || lower.contains("truncated")) ? .truncated : .corrupt
        let severity = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) ? " (libjpeg warning)" : ""
        return DataError(file: file, kind: kind, "JPEG \(stage): \(message)\(severity)")
    }
}
