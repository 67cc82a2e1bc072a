// The Cairo backend: one class for the PDF, SVG and PNG surfaces. Save/restore happens only here,
// around each primitive, so no drawing state leaks from one mark to the next.
import CCairoPango
import Foundation

/// Output file formats; PNG is rasterised at `Surface.pngScale` pixels per point.
public enum OutputFormat: String, Sendable, CaseIterable {
    case pdf, png, svg
    /// The format named by a file extension (`chart.svg` → `.svg`).
    public init?(url: URL) { self.init(rawValue: url.pathExtension.lowercased()) }
}

/// Draws onto a Cairo context. Errors met while drawing (a missing glyph, bad markup, an unknown
/// font) are kept in `firstError`; the surface writer throws it and discards the output.
public final class CairoBackend: RenderBackend {
    let cr: OpaquePointer
    let text: PangoTextEngine
    let pagedSurface: Bool
    public let measurer: any TextMeasurer
    public var location: String = ""
    public private(set) var firstError: RenderError?
    var checkedFamilies: Set<String> = []

    init(cr: OpaquePointer, paged: Bool, measurer: any TextMeasurer) {
        self.cr = cr
        self.pagedSurface = paged
        self.measurer = measurer
        text = PangoTextEngine(cr: cr)
    }

    func record(_ e: RenderError) { if firstError == nil { firstError = e } }

    func setSource(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    func trace(_ path: Path) {
        cairo_new_path(cr)
        for e in path.elements {
            switch e {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case let .curve(a, b, p): cairo_curve_to(cr, a.x, a.y, b.x, b.y, p.x, p.y)
            case .close: cairo_close_path(cr)
            }
        }
    }

    public func fill(_ path: Path, color: Color) {
        cairo_save(cr); defer { cairo_restore(cr) }
        trace(path); setSource(color); cairo_fill(cr)
    }

    public func stroke(_ path: Path, style: StrokeStyle) {
        cairo_save(cr); defer { cairo_restore(cr) }
        trace(path); setSource(style.color)
        cairo_set_line_width(cr, style.width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, style.roundCaps ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        if !style.dash.isEmpty { cairo_set_dash(cr, style.dash, Int32(style.dash.count), 0) }
        cairo_stroke(cr)
    }

    public func drawText(_ block: TextBlock, at origin: Point, angle: Double, lines: Range<Int>?) {
        if case .custom(let families) = block.font.role, !checkedFamilies.contains(families) {
            checkedFamilies.insert(families)
            do { try FontCatalog.validate(families) } catch let e as RenderError { record(e) } catch {}
        }
        cairo_save(cr); defer { cairo_restore(cr) }
        cairo_translate(cr, origin.x, origin.y)
        if angle != 0 { cairo_rotate(cr, angle) }
        text.update()
        guard let layout = text.layout(block) else {
            record(RenderError(kind: .invalidInput("malformed text markup \"\(block.markup.prefix(60))\" (\(location))")))
            return
        }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        if let s = text.missingScalar(in: layout, font: block.font) {
            record(.missingGlyph(s, text: String(Markup.plainText(block.markup).prefix(80)), location: location))
        }
        setSource(block.color)
        // Cairo's current point survives save/restore, and Pango draws at the current point:
        // start every text from a fresh path at the (translated) origin.
        cairo_new_path(cr)
        defer { cairo_new_path(cr) }
        guard let lines else { cairo_move_to(cr, 0, 0); pango_cairo_show_layout(cr, layout); return }
        let iter = pango_layout_get_iter(layout)!
        defer { pango_layout_iter_free(iter) }
        var index = 0
        var firstTop: Double? = nil
        let s = Double(PANGO_SCALE)
        repeat {
            if lines.contains(index) {
                var r = PangoRectangle()
                pango_layout_iter_get_line_extents(iter, nil, &r)
                if firstTop == nil { firstTop = Double(r.y) / s }
                let baseline = Double(pango_layout_iter_get_baseline(iter)) / s
                cairo_move_to(cr, Double(r.x) / s, baseline - firstTop!)
                pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(iter))
            }
            index += 1
        } while index < lines.upperBound && pango_layout_iter_next_line(iter) != 0
    }

    public func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool) {
        // Cairo wants premultiplied BGRA in native-endian 32-bit words.
        let surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(image.width), Int32(image.height))!
        defer { cairo_surface_destroy(surf) }
        cairo_surface_flush(surf)
        let stride = Int(cairo_image_surface_get_stride(surf))
        let data = cairo_image_surface_get_data(surf)!
        for y in 0..<image.height {
            let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<image.width {
                let i = (y * image.width + x) * 4
                let a = UInt32(image.rgba[i + 3])
                let r = UInt32(image.rgba[i]) * a / 255, g = UInt32(image.rgba[i + 1]) * a / 255, b = UInt32(image.rgba[i + 2]) * a / 255
                row[x] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
        cairo_surface_mark_dirty(surf)
        cairo_save(cr); defer { cairo_restore(cr) }
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(image.width), rect.height / Double(image.height))
        cairo_set_source_surface(cr, surf, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_rectangle(cr, 0, 0, Double(image.width), Double(image.height))
        cairo_fill(cr)
    }

    public func pushClip(_ rect: Rect) {
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
    }
    public func popClip() { cairo_restore(cr) }

    public func newPage() { if pagedSurface { cairo_show_page(cr) } }

    public func link(_ rect: Rect, uri: String) {
        guard pagedSurface else { return }
        let escaped = uri.replacingOccurrences(of: "'", with: "%27")
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "rect=[\(rect.x) \(rect.y) \(rect.width) \(rect.height)] uri='\(escaped)'")
        cairo_tag_end(cr, CAIRO_TAG_LINK)
    }
}
