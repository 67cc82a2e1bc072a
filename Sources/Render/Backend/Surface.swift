// Surfaces: where a drawing ends up. Every file is written to a temporary name in the target
// folder and renamed into place only after Cairo reports success and no drawing error was
// recorded, so an interrupted or failed run never leaves a half-written or tofu-filled file.
import CCairoPango
import Foundation

/// Writes drawings to PDF, SVG or PNG files, or rasterises them in memory.
public enum Surface {
    /// PNG pixels per point (2 gives 144 dpi).
    public static let defaultPNGScale = 2.0

    static func status(_ s: cairo_status_t) -> String { String(cString: cairo_status_to_string(s)) }

    /// Draws pages of `pageSize` into `url`. `draw` calls `newPage()` between pages; PNG and SVG
    /// keep only one page. Throws the first drawing error (missing glyph, unknown font) or I/O error.
    public static func write(to url: URL, format: OutputFormat? = nil, pageSize: Size, pngScale: Double = defaultPNGScale,
                             title: String? = nil, draw: (CairoBackend) throws -> Void) throws {
        guard let format = format ?? OutputFormat(url: url) else {
            throw RenderError.io(url.path, "unknown extension '.\(url.pathExtension)' (use .pdf, .png or .svg)")
        }
        guard pageSize.width > 0, pageSize.height > 0, pageSize.width.isFinite, pageSize.height.isFinite else {
            throw RenderError(kind: .invalidInput("page size \(pageSize.width)x\(pageSize.height) pt for \(url.lastPathComponent) must be positive"))
        }
        try AtomicFile.write(to: url) { temp in
            let surface: OpaquePointer
            switch format {
            case .pdf:
                surface = cairo_pdf_surface_create(temp.path, pageSize.width, pageSize.height)
                if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "CourseKit Render (Cairo + Pango)")
            case .svg:
                surface = cairo_svg_surface_create(temp.path, pageSize.width, pageSize.height)
                cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
            case .png:
                surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32((pageSize.width * pngScale).rounded(.up)),
                                                     Int32((pageSize.height * pngScale).rounded(.up)))
            }
            defer { cairo_surface_destroy(surface) }
            guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else {
                throw RenderError.cairo(status(cairo_surface_status(surface)), "creating the \(format) surface for \(url.lastPathComponent)")
            }
            let cr = cairo_create(surface)!
            defer { cairo_destroy(cr) }
            if format == .png {
                cairo_scale(cr, pngScale, pngScale)
                cairo_set_source_rgb(cr, 1, 1, 1); cairo_paint(cr)  // PNGs get a white page, as on paper
            }
            let backend = CairoBackend(cr: cr, paged: format == .pdf, measurer: PangoMeasurer())
            try draw(backend)
            if let e = backend.firstError { throw e }
            if format == .png {
                cairo_surface_flush(surface)
                let s = cairo_surface_write_to_png(surface, temp.path)
                guard s == CAIRO_STATUS_SUCCESS else { throw RenderError.cairo(status(s), "writing \(url.lastPathComponent)") }
            }
            cairo_surface_finish(surface)
            let s = cairo_surface_status(surface)
            guard s == CAIRO_STATUS_SUCCESS else { throw RenderError.cairo(status(s), "finishing \(url.lastPathComponent)") }
        }
    }

    /// Rasterises one page in memory (white background) at `scale` pixels per point.
    public static func bitmap(size: Size, scale: Double = 1, draw: (CairoBackend) throws -> Void) throws -> Bitmap {
        let w = Int32((size.width * scale).rounded(.up)), h = Int32((size.height * scale).rounded(.up))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_scale(cr, scale, scale)
        cairo_set_source_rgb(cr, 1, 1, 1); cairo_paint(cr)
        let backend = CairoBackend(cr: cr, paged: false, measurer: PangoMeasurer())
        try draw(backend)
        if let e = backend.firstError { throw e }
        cairo_surface_flush(surface)
        return Bitmap(surface: surface)
    }
}

/// Pixels copied out of a Cairo ARGB32 image surface (premultiplied, native-endian words).
public struct Bitmap: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major `0xAARRGGBB` words, premultiplied alpha.
    public let argb: [UInt32]

    init(surface: OpaquePointer) {
        width = Int(cairo_image_surface_get_width(surface))
        height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var px = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { px[y * width + x] = row[x] }
        }
        argb = px
    }

    /// Reads a PNG file through Cairo.
    public static func read(png url: URL) throws -> Bitmap {
        let surface = cairo_image_surface_create_from_png(url.path)!
        defer { cairo_surface_destroy(surface) }
        let s = cairo_surface_status(surface)
        guard s == CAIRO_STATUS_SUCCESS else { throw RenderError.io(url.path, "not a readable PNG (\(Surface.status(s)))") }
        cairo_surface_flush(surface)
        return Bitmap(surface: surface)
    }

    /// The un-premultiplied colour at pixel (x, y), origin top-left.
    public func color(x: Int, y: Int) -> Color {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "Bitmap.color: (\(x), \(y)) outside \(width)x\(height)")
        let p = argb[y * width + x]
        let a = Double(p >> 24) / 255
        guard a > 0 else { return .clear }
        return Color(red: Double((p >> 16) & 0xFF) / 255 / a, green: Double((p >> 8) & 0xFF) / 255 / a,
                     blue: Double(p & 0xFF) / 255 / a, alpha: a)
    }

    /// The image as a `RasterImage` (for placing a PNG file in a document).
    public var rasterImage: RasterImage {
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        for i in 0..<(width * height) {
            let c = color(x: i % width, y: i / width)
            rgba[4 * i] = UInt8((c.red * 255).rounded()); rgba[4 * i + 1] = UInt8((c.green * 255).rounded())
            rgba[4 * i + 2] = UInt8((c.blue * 255).rounded()); rgba[4 * i + 3] = UInt8((c.alpha * 255).rounded())
        }
        return RasterImage(width: width, height: height, rgba: rgba)
    }
}

/// Temp-file-and-rename writes.
public enum AtomicFile {
    /// Calls `body` with a temporary file in the destination's folder, then renames it onto `url`.
    /// On any error the temporary file is removed and `url` is left untouched.
    public static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        let dir = url.deletingLastPathComponent()
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
        catch { throw RenderError.io(dir.path, "cannot create the folder: \(error.localizedDescription)") }
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try body(temp)
            guard rename(temp.path, url.path) == 0 else {
                throw RenderError.io(url.path, String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }

    /// Writes `data` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temp in
            do { try data.write(to: temp) } catch { throw RenderError.io(url.path, error.localizedDescription) }
        }
    }
}
