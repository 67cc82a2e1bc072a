// The recording backend (plotters' MockedBackend): it keeps every primitive as a command so tests can
// assert on what would be drawn, without Cairo and without fonts.

/// One recorded drawing command.
public enum DrawCommand: Sendable, Equatable {
    case fill(Path, Color)
    case stroke(Path, StrokeStyle)
    /// The text (markup stripped), its box's top-left corner, its font, and the drawn line range.
    case text(String, origin: Point, font: Font, lines: Range<Int>?)
    case image(width: Int, height: Int, rect: Rect)
    case pushClip(Rect)
    case popClip
    case newPage
    case link(Rect, String)
}

/// A backend that records commands; pages are split at `.newPage`.
public final class DisplayList: RenderBackend {
    public private(set) var commands: [DrawCommand] = []
    public let measurer: any TextMeasurer
    public var location: String = ""
    public init(measurer: any TextMeasurer = FixedAdvanceMeasurer()) { self.measurer = measurer }

    public func fill(_ path: Path, color: Color) { commands.append(.fill(path, color)) }
    public func stroke(_ path: Path, style: StrokeStyle) { commands.append(.stroke(path, style)) }
    public func drawText(_ text: TextBlock, at origin: Point, angle: Double, lines: Range<Int>?) {
        commands.append(.text(Markup.plainText(text.markup), origin: origin, font: text.font, lines: lines))
    }
    public func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool) {
        commands.append(.image(width: image.width, height: image.height, rect: rect))
    }
    public func pushClip(_ rect: Rect) { commands.append(.pushClip(rect)) }
    public func popClip() { commands.append(.popClip) }
    public func newPage() { commands.append(.newPage) }
    public func link(_ rect: Rect, uri: String) { commands.append(.link(rect, uri)) }

    /// Commands grouped by page.
    public var pages: [[DrawCommand]] {
        var out: [[DrawCommand]] = [[]]
        for c in commands { if c == .newPage { out.append([]) } else { out[out.count - 1].append(c) } }
        return out
    }
    /// Every text run with its page index (0-based) and origin.
    public var texts: [(page: Int, text: String, origin: Point, font: Font)] {
        var out: [(Int, String, Point, Font)] = []
        for (i, page) in pages.enumerated() {
            for case let .text(s, o, f, _) in page { out.append((i, s, o, f)) }
        }
        return out
    }
}

/// A deterministic measurer for layout tests: every character advances `advance × size`
/// (Han characters twice that), lines are `lineHeight × size` tall, and wrapping breaks at
/// spaces (or anywhere, for runs without spaces) when the width is exceeded.
public final class FixedAdvanceMeasurer: TextMeasurer {
    public let advance: Double
    public let lineHeight: Double
    public init(advance: Double = 0.5, lineHeight: Double = 1.2) { self.advance = advance; self.lineHeight = lineHeight }

    func width(of s: Substring, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80) ? 2 : 1) } * advance * size
    }

    public func measure(_ text: TextBlock) -> TextMetrics {
        let size = text.font.size
        let plain = Markup.plainText(text.markup)
        var lines: [Substring] = []
        for para in plain.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let limit = text.width else { lines.append(para); continue }
            var current = Substring("")
            for word in para.split(separator: " ", omittingEmptySubsequences: false) {
                let candidate = current.isEmpty ? word : Substring(current + " " + word)
                if width(of: candidate, size: size) <= limit || current.isEmpty {
                    current = candidate
                } else {
                    lines.append(current); current = word
                }
            }
            lines.append(current)
        }
        let lh = size * (lineHeight + text.lineSpacing)
        let w = lines.map { width(of: $0, size: size) }.max() ?? 0
        let boxWidth = text.alignment != .left && text.width != nil ? text.width! : min(w, text.width ?? .infinity)
        return TextMetrics(width: boxWidth, height: Double(lines.count) * lh,
                           baseline: size * 0.95, lines: lines.indices.map { (Double($0) * lh, lh) })
    }
}
