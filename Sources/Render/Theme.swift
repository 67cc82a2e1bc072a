import Foundation

/// Fonts, sizes, colours and line widths shared by charts, diagrams and documents.
public struct Theme: Sendable {
    /// Okabe–Ito, the colour-blind-safe qualitative palette (Okabe & Ito, 2008), yellow last.
    public var palette: [Color] = [0x0072B2, 0xD55E00, 0x009E73, 0xE69F00, 0xCC79A7, 0x56B4E9, 0x000000, 0xF0E442].map { Color(hex: $0) }
    public var ink = Color(hex: 0x222222)
    public var muted = Color(hex: 0x666666)
    public var axis = Color(hex: 0x333333)
    public var grid = Color(hex: 0xE3E3E3)
    public var background = Color.white
    public var titleFont = Font(.sans, size: 11, bold: true)
    public var labelFont = Font(.sans, size: 9)
    public var tickFont = Font(.sans, size: 8)
    public var noteFont = Font(.sans, size: 7.5, italic: true)
    public var lineWidth = 1.6
    public var axisWidth = 0.8
    public var markerRadius = 2.6
    public init() {}
    public static let standard = Theme()

    /// The i-th series colour (the palette repeats).
    public func color(_ i: Int) -> Color { palette[((i % palette.count) + palette.count) % palette.count] }
}

/// Anything that draws itself into a rectangle: charts and network diagrams.
public protocol Graphic: Sendable {
    /// The size the graphic is designed for, in points; `write` uses it when no size is given.
    var preferredSize: Size { get }
    /// Draws into `rect` on `backend`.
    func draw(in rect: Rect, on backend: any RenderBackend, theme: Theme)
}

extension Graphic {
    /// Writes the graphic alone to a PDF, PNG or SVG file (format from the extension unless given).
    ///
    ///     try LineChart(title: "Loss", series: [.init("train", x: [1, 2, 3], y: [2, 1, 0.5])])
    ///         .write(to: URL(fileURLWithPath: "Output/figures/loss.svg"))
    public func write(to url: URL, size: Size? = nil, format: OutputFormat? = nil,
                      pngScale: Double = Surface.defaultPNGScale, theme: Theme = .standard) throws {
        let s = size ?? preferredSize
        try Surface.write(to: url, format: format, pageSize: s, pngScale: pngScale, title: nil) { b in
            b.location = "figure \(url.lastPathComponent)"
            draw(in: Rect(x: 0, y: 0, width: s.width, height: s.height), on: b, theme: theme)
        }
    }

    /// Rasterises the graphic in memory (white background) at `scale` pixels per point.
    public func bitmap(size: Size? = nil, scale: Double = 1, theme: Theme = .standard) throws -> Bitmap {
        let s = size ?? preferredSize
        return try Surface.bitmap(size: s, scale: scale) { b in
            draw(in: Rect(x: 0, y: 0, width: s.width, height: s.height), on: b, theme: theme)
        }
    }

    /// Records the drawing commands (for tests), measuring text with `measurer`.
    public func record(size: Size? = nil, measurer: any TextMeasurer = FixedAdvanceMeasurer(), theme: Theme = .standard) -> DisplayList {
        let s = size ?? preferredSize
        let list = DisplayList(measurer: measurer)
        draw(in: Rect(x: 0, y: 0, width: s.width, height: s.height), on: list, theme: theme)
        return list
    }
}

/// Shortens a label to `limit` characters with an ellipsis, so a runaway name cannot push a chart apart.
func clipped(_ s: String, _ limit: Int = 48) -> String {
    s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
}
