// The drawing contract. A backend implements six primitives (fill, stroke, text, image, clip, page);
// everything else (lines, anchored labels, arrows) is a default built from them, so a new backend is
// small and the recording backend sees exactly what Cairo would draw.
import Foundation

/// The three font roles of the kit; each is a Pango family list, Latin face first, so that Latin
/// text uses DejaVu and Han characters fall back to the Simplified-Chinese Noto face.
public enum FontRole: Sendable, Equatable, Hashable {
    case sans, serif, mono
    /// Any Pango family list, e.g. `"DejaVu Sans, Noto Sans CJK SC"`; checked by `FontCatalog.validate`.
    case custom(String)
}

/// A font: role, size in points, weight and slant.
public struct Font: Sendable, Equatable, Hashable {
    public var role: FontRole
    public var size: Double
    public var bold: Bool
    public var italic: Bool
    public init(_ role: FontRole = .sans, size: Double, bold: Bool = false, italic: Bool = false) {
        self.role = role; self.size = size; self.bold = bold; self.italic = italic
    }
}

/// Horizontal alignment of wrapped text within its box.
public enum TextAlignment: Sendable, Equatable { case left, center, right }

/// A piece of text as Pango sees it: markup, font, colour and an optional wrap width.
///
/// `markup` is Pango markup (`<b>`, `<i>`, `<sub>`, `<span>`); build plain strings with
/// `TextBlock(plain:font:)`, which escapes `& < >`.
public struct TextBlock: Sendable, Hashable {
    public var markup: String
    public var font: Font
    public var color: Color
    /// Wrap width in points; nil lays the text out on one line per `\n`.
    public var width: Double?
    public var alignment: TextAlignment
    /// Extra space between lines as a multiple of the font size (0.25 gives 1.25 leading).
    public var lineSpacing: Double
    public init(markup: String, font: Font, color: Color = .black, width: Double? = nil,
                alignment: TextAlignment = .left, lineSpacing: Double = 0) {
        self.markup = markup; self.font = font; self.color = color; self.width = width
        self.alignment = alignment; self.lineSpacing = lineSpacing
    }
    public init(plain: String, font: Font, color: Color = .black, width: Double? = nil, alignment: TextAlignment = .left) {
        self.init(markup: Markup.escape(plain), font: font, color: color, width: width, alignment: alignment)
    }
}

/// The measured extent of a `TextBlock`.
public struct TextMetrics: Sendable, Equatable {
    /// Ink-independent logical width and height of the whole block.
    public var width: Double
    public var height: Double
    /// Distance from the top of the block to the first line's baseline.
    public var baseline: Double
    /// Top offset and height of each line, in order (for splitting paragraphs across pages).
    public var lines: [(top: Double, height: Double)]
    public init(width: Double, height: Double, baseline: Double, lines: [(top: Double, height: Double)]) {
        self.width = width; self.height = height; self.baseline = baseline; self.lines = lines
    }
    public static func == (a: TextMetrics, b: TextMetrics) -> Bool {
        a.width == b.width && a.height == b.height && a.baseline == b.baseline
            && a.lines.map(\.top) == b.lines.map(\.top) && a.lines.map(\.height) == b.lines.map(\.height)
    }
}

/// Measures text before it is placed (layout never guesses sizes).
public protocol TextMeasurer: AnyObject {
    func measure(_ text: TextBlock) -> TextMetrics
}

/// A raster image, 8-bit RGBA (straight alpha), row-major from the top-left pixel.
public struct RasterImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var rgba: [UInt8]
    public init(width: Int, height: Int, rgba: [UInt8]) {
        precondition(width > 0 && height > 0, "RasterImage: size \(width)x\(height) must be positive")
        precondition(rgba.count == width * height * 4, "RasterImage: \(rgba.count) bytes for \(width)x\(height) RGBA (expects \(width * height * 4))")
        self.width = width; self.height = height; self.rgba = rgba
    }
}

/// The primitives every output (PDF/PNG/SVG through Cairo, or the recording `DisplayList`) implements.
public protocol RenderBackend: AnyObject {
    var measurer: any TextMeasurer { get }
    func fill(_ path: Path, color: Color)
    func stroke(_ path: Path, style: StrokeStyle)
    /// Draws `text` with its layout box's top-left corner at `origin`, rotated by `angle` radians
    /// about `origin` (negative turns it anticlockwise on the page). `lines` limits drawing to a
    /// range of wrapped lines, shifted up so the first drawn line sits at `origin`.
    func drawText(_ text: TextBlock, at origin: Point, angle: Double, lines: Range<Int>?)
    /// Draws an image scaled into `rect`; `smooth: false` keeps pixels square (feature maps).
    func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool)
    func pushClip(_ rect: Rect)
    func popClip()
    /// Finishes the current page and starts a new one (a no-op on single-page surfaces).
    func newPage()
    /// A link area (PDF only); a default no-op.
    func link(_ rect: Rect, uri: String)
    /// Where the following drawing belongs ("figure 2", "page 3"), for error messages.
    var location: String { get set }
}

extension RenderBackend {
    public func link(_ rect: Rect, uri: String) {}

    public func line(_ a: Point, _ b: Point, _ style: StrokeStyle) { stroke(.line(a, b), style: style) }

    public func fillRect(_ r: Rect, _ color: Color) { fill(.rect(r), color: color) }

    public func strokeRect(_ r: Rect, _ style: StrokeStyle) { stroke(.rect(r), style: style) }

    /// Text placed by an anchor point: `(0, 0)` is top-left, `(0.5, 0.5)` the centre, `(1, 1)` bottom-right.
    /// `baseline: true` aligns the first baseline (not the box top) with `point.y`.
    @discardableResult
    public func text(_ text: TextBlock, at point: Point, anchor: (x: Double, y: Double) = (0, 0),
                     baseline: Bool = false, angle: Double = 0) -> Rect {
        let m = measurer.measure(text)
        let dy = baseline ? m.baseline : m.height * anchor.y
        if angle == 0 {
            let origin = Point(point.x - m.width * anchor.x, point.y - dy)
            drawText(text, at: origin, angle: 0, lines: nil)
            return Rect(origin: origin, size: Size(m.width, m.height))
        }
        // Rotate the anchor offset with the text so the anchor stays at `point`.
        let ox = -m.width * anchor.x, oy = -dy
        let origin = Point(point.x + ox * cos(angle) - oy * sin(angle), point.y + ox * sin(angle) + oy * cos(angle))
        drawText(text, at: origin, angle: angle, lines: nil)
        let w = abs(m.width * cos(angle)) + abs(m.height * sin(angle))
        let h = abs(m.width * sin(angle)) + abs(m.height * cos(angle))
        return Rect(x: point.x - w / 2, y: point.y - h / 2, width: w, height: h)
    }

    /// A straight arrow from `a` to `b` with a filled head of length `head` at `b`.
    public func arrow(_ a: Point, _ b: Point, color: Color, width: Double = 1, head: Double = 6) {
        let dx = b.x - a.x, dy = b.y - a.y, len = max((dx * dx + dy * dy).squareRoot(), 1e-9)
        let ux = dx / len, uy = dy / len
        let base = Point(b.x - ux * head, b.y - uy * head)
        stroke(.line(a, base), style: StrokeStyle(color: color, width: width))
        let w = head * 0.45
        fill(.polygon([b, Point(base.x - uy * w, base.y + ux * w), Point(base.x + uy * w, base.y - ux * w)]), color: color)
    }

    /// Runs `body` with drawing clipped to `rect`.
    public func clipped(to rect: Rect, _ body: () -> Void) {
        pushClip(rect); body(); popClip()
    }
}
