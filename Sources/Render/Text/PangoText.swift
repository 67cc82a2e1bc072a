// Pango text: font descriptions, layouts, measurement and the glyph-coverage check. Every layout is
// made on a context with resolution 72 dpi and unhinted metrics, so one point is one user unit and
// a text measured for layout has the same size on the PDF, SVG and PNG surfaces.
import CCairoPango
import Foundation

extension FontRole {
    /// The Pango family list: Latin face first, then the Simplified-Chinese Noto face. An explicit
    /// SC face matters: Debian's default CJK fallback is the Japanese one (Han unification).
    public var familyList: String {
        switch self {
        case .sans: "DejaVu Sans, Noto Sans CJK SC"
        case .serif: "DejaVu Serif, Noto Serif CJK SC"
        case .mono: "DejaVu Sans Mono, Noto Sans Mono CJK SC"
        case .custom(let s): s
        }
    }
}

/// Queries the installed font families (through Pango's default font map).
public enum FontCatalog {
    /// All installed family names.
    public static func installedFamilies() -> Set<String> {
        let map = pango_cairo_font_map_get_default()
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>? = nil
        var n: Int32 = 0
        pango_font_map_list_families(map, &families, &n)
        var out = Set<String>()
        if let families {
            for i in 0..<Int(n) { if let f = families[i], let name = pango_font_family_get_name(f) { out.insert(String(cString: name)) } }
            g_free(families)
        }
        return out
    }

    /// Throws `RenderError` naming the first family in a comma-separated list that is not installed.
    public static func validate(_ familyList: String) throws {
        let installed = Set(installedFamilies().map { $0.lowercased() })
        for name in familyList.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if !installed.contains(name.lowercased()) { throw RenderError.unknownFont(name) }
        }
    }
}

/// Owns a Pango context bound to a Cairo context, and makes layouts from `TextBlock`s.
final class PangoTextEngine {
    let cr: OpaquePointer
    let context: OpaquePointer

    init(cr: OpaquePointer) {
        self.cr = cr
        context = pango_cairo_create_context(cr)
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }
    deinit { g_object_unref(UnsafeMutableRawPointer(context)) }

    /// Re-reads the Cairo transformation (after translate/rotate/scale).
    func update() { pango_cairo_update_context(cr, context) }

    static func fontDescription(_ font: Font) -> OpaquePointer {
        let d = pango_font_description_new()!
        pango_font_description_set_family(d, font.role.familyList)
        pango_font_description_set_absolute_size(d, font.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(d, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_style(d, font.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        return d
    }

    /// A new layout (caller unrefs). Returns nil if the markup does not parse.
    func layout(_ text: TextBlock) -> OpaquePointer? {
        guard pango_parse_markup(text.markup, -1, 0, nil, nil, nil, nil) != 0 else { return nil }
        let layout = pango_layout_new(context)!
        let desc = Self.fontDescription(text.font)
        pango_layout_set_font_description(layout, desc)
        pango_font_description_free(desc)
        if let w = text.width {
            pango_layout_set_width(layout, Int32(max(1, w) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        switch text.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        pango_layout_set_spacing(layout, Int32(text.lineSpacing * text.font.size * Double(PANGO_SCALE)))
        pango_layout_set_markup(layout, Self.explicitScripts(text.markup, size: text.font.size), -1)
        return layout
    }

    /// `<sup>`/`<sub>` rewritten as spans with an absolute size and rise. Pango 1.50 scales its own
    /// `<sup>` from the context's default size rather than the layout's font, so a superscript in
    /// 8-point text came out larger than the text around it.
    static func explicitScripts(_ markup: String, size: Double) -> String {
        guard markup.contains("<su") else { return markup }
        let unit = Double(PANGO_SCALE)
        let scripted = Int(size * 0.7 * unit)
        return markup
            .replacingOccurrences(of: "<sup>", with: "<span size=\"\(scripted)\" rise=\"\(Int(size * 0.38 * unit))\">")
            .replacingOccurrences(of: "<sub>", with: "<span size=\"\(scripted)\" rise=\"\(-Int(size * 0.18 * unit))\">")
            .replacingOccurrences(of: "</sup>", with: "</span>")
            .replacingOccurrences(of: "</sub>", with: "</span>")
    }

    static func metrics(_ layout: OpaquePointer) -> TextMetrics {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let s = Double(PANGO_SCALE)
        var lines: [(Double, Double)] = []
        let iter = pango_layout_get_iter(layout)!
        repeat {
            var r = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &r)
            lines.append((Double(r.y) / s, Double(r.height) / s))
        } while pango_layout_iter_next_line(iter) != 0
        pango_layout_iter_free(iter)
        return TextMetrics(width: Double(logical.x + logical.width) / s, height: Double(logical.height) / s,
                           baseline: Double(pango_layout_get_baseline(layout)) / s, lines: lines)
    }

    /// The first scalar of the layout's text that no font in its family list can draw, if any.
    func missingScalar(in layout: OpaquePointer, font: Font) -> UInt32? {
        guard pango_layout_get_unknown_glyphs_count(layout) > 0 else { return nil }
        let text = String(cString: pango_layout_get_text(layout))
        var seen = Set<UInt32>()
        let desc = Self.fontDescription(font)
        defer { pango_font_description_free(desc) }
        for s in text.unicodeScalars where !seen.contains(s.value) && !s.properties.isWhitespace {
            seen.insert(s.value)
            let probe = pango_layout_new(context)!
            pango_layout_set_font_description(probe, desc)
            pango_layout_set_text(probe, String(s), -1)
            let unknown = pango_layout_get_unknown_glyphs_count(probe)
            g_object_unref(UnsafeMutableRawPointer(probe))
            if unknown > 0 { return s.value }
        }
        return nil
    }
}

/// Measures text with Pango on a private 1×1 image surface (same metrics as every output surface).
public final class PangoMeasurer: TextMeasurer {
    let surface: OpaquePointer
    let cr: OpaquePointer
    let engine: PangoTextEngine
    var cache: [TextBlock: TextMetrics] = [:]

    public init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        cr = cairo_create(surface)
        engine = PangoTextEngine(cr: cr)
    }
    deinit { cairo_destroy(cr); cairo_surface_destroy(surface) }

    public func measure(_ text: TextBlock) -> TextMetrics {
        if let m = cache[text] { return m }
        guard let layout = engine.layout(text) else {
            return TextMetrics(width: 0, height: text.font.size * 1.2, baseline: text.font.size, lines: [(0, text.font.size * 1.2)])
        }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var m = PangoTextEngine.metrics(layout)
        // Centred or right-aligned text with a wrap width occupies the whole width (anchors rely on it).
        if let w = text.width, text.alignment != .left { m.width = w }
        cache[text] = m
        return m
    }
}
