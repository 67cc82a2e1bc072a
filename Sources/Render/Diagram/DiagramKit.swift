import Foundation

/// The kind of a network block, which picks its colour in diagrams.
public enum BlockKind: String, Sendable, Equatable, CaseIterable {
    case input, conv, pool, norm, activation, dense, concat, dropout, output, other

    /// Light fill and darker outline, from the Okabe–Ito hues.
    var colors: (fill: Color, stroke: Color) {
        switch self {
        case .input, .output: (Color(hex: 0xEEEEEE), Color(hex: 0x555555))
        case .conv: (Color(hex: 0xD6E6F4), Color(hex: 0x0072B2))
        case .pool: (Color(hex: 0xD4EFE5), Color(hex: 0x009E73))
        case .norm: (Color(hex: 0xF3DFEB), Color(hex: 0xCC79A7))
        case .activation: (Color(hex: 0xFFF6CC), Color(hex: 0xB8A000))
        case .dense: (Color(hex: 0xFBE7C6), Color(hex: 0xE69F00))
        case .concat: (Color(hex: 0xF7D9C4), Color(hex: 0xD55E00))
        case .dropout: (Color(hex: 0xE8E8F4), Color(hex: 0x6A6AAA))
        case .other: (Color(hex: 0xF4F4F4), Color(hex: 0x888888))
        }
    }
}

/// A labelled rounded box; returns its rectangle. `markup` may hold Pango markup (sub/superscripts).
@discardableResult
func drawBox(_ markup: String, kind: BlockKind, center: Point, size: Size, on b: any RenderBackend, font: Font = Font(.sans, size: 8.5)) -> Rect {
    let r = Rect(x: center.x - size.width / 2, y: center.y - size.height / 2, width: size.width, height: size.height)
    let (fill, stroke) = kind.colors
    b.fill(.roundedRect(r, radius: 3.5), color: fill)
    b.stroke(.roundedRect(r, radius: 3.5), style: StrokeStyle(color: stroke, width: 0.9))
    let t = TextBlock(markup: markup, font: font, color: Color(hex: 0x1A1A1A), width: size.width - 6, alignment: .center)
    b.drawText(t, at: Point(r.minX + 3, center.y - b.measurer.measure(t).height / 2), angle: 0, lines: nil)
    return r
}

/// Draws the title of a diagram and returns the remaining area.
func diagramTitle(_ title: String?, in rect: Rect, on b: any RenderBackend, theme: Theme) -> Rect {
    let r = rect.inset(by: 6)
    guard let title, !title.isEmpty else { return r }
    let t = TextBlock(plain: title, font: theme.titleFont, color: theme.ink, width: r.width, alignment: .center)
    b.text(t, at: Point(r.minX, r.minY))
    return r.inset(top: b.measurer.measure(t).height + 8)
}

/// "[1, 6, 28, 28]" → "6×28×28" (the batch dimension dropped when there are four or two dims).
public func shapeLabel(_ shape: [Int]) -> String {
    let dims = (shape.count == 4 || shape.count == 2) ? Array(shape.dropFirst()) : shape
    return dims.map(String.init).joined(separator: "×")
}
