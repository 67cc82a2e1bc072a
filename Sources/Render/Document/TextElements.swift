import Foundation

/// Heights of each line including the leading after it (from successive line tops).
func lineSpans(_ m: TextMetrics) -> [Double] {
    m.lines.indices.map { i in i + 1 < m.lines.count ? m.lines[i + 1].top - m.lines[i].top : m.height - m.lines[i].top }
}

/// A paragraph, list item or call-out box: wrapped text split across pages line by line,
/// with no single orphan line at a page bottom and no single widow line at a page top.
final class TextElement: FlowElement {
    let markup: String
    let font: Font
    let color: Color
    let leading: Double
    let measurer: any TextMeasurer
    let kind: DocumentLayout.Kind
    var indent = 0.0
    var marker: String?
    /// Call-out colours: background and the bar on the left.
    var box: (fill: Color, bar: Color)?
    var spaceBefore = 7.0
    var next = 0

    init(markup: String, font: Font, color: Color, leading: Double, measurer: any TextMeasurer, kind: DocumentLayout.Kind) {
        self.markup = markup; self.font = font; self.color = color; self.leading = leading; self.measurer = measurer; self.kind = kind
    }

    var pad: Double { box == nil ? 0 : 8 }
    func block(width: Double) -> TextBlock {
        TextBlock(markup: markup, font: font, color: color, width: max(20, width - indent - 2 * pad - (box == nil ? 0 : 3)), lineSpacing: leading)
    }

    func minimumHeight(width: Double) -> Double {
        let spans = lineSpans(measurer.measure(block(width: width)))
        return spans.prefix(2).reduce(0, +) + 2 * pad
    }

    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        let tb = block(width: area.width)
        let spans = lineSpans(measurer.measure(tb))
        guard next < spans.count else { return (0, false) }
        let avail = area.height - 2 * pad
        var end = next, h = 0.0
        while end < spans.count, h + spans[end] <= avail + 0.01 { h += spans[end]; end += 1 }
        if end < spans.count {
            if end - next >= 3 && spans.count - end == 1 { end -= 1 }                  // no widow
            if end - next == 1 && spans.count - next > 1 && !pageIsEmpty { end = next } // no orphan
            if end == next {
                if !pageIsEmpty { return (0, true) }
                end = next + 1
            }
        }
        h = spans[next..<end].reduce(0, +)
        let range = next..<end
        let origin = Point(area.minX + indent + pad + (box == nil ? 0 : 3), area.minY + pad)
        let frame = Rect(x: area.minX + indent, y: area.minY, width: area.width - indent, height: h + 2 * pad)
        let box = self.box, marker = self.marker, font = self.font, color = self.color, indent = self.indent
        page.draw { b in
            if let box {
                b.fill(.roundedRect(frame, radius: 3), color: box.fill)
                b.fillRect(Rect(x: frame.minX, y: frame.minY, width: 3, height: frame.height), box.bar)
            }
            b.drawText(tb, at: origin, angle: 0, lines: range)
            if let marker, range.lowerBound == 0 {
                b.text(TextBlock(plain: marker, font: font, color: color), at: Point(area.minX + indent - 5, origin.y), anchor: (1, 0))
            }
        }
        page.place(kind, Markup.plainText(markup), frame)
        next = end
        return (h + 2 * pad, end < spans.count)
    }
}

/// A numbered heading; kept with the start of the next block.
final class HeadingElement: FlowElement {
    unowned let engine: LayoutEngine
    let index: Int
    let tb: TextBlock
    let measurer: any TextMeasurer
    init(engine: LayoutEngine, index: Int, markup: String, font: Font, color: Color, measurer: any TextMeasurer) {
        self.engine = engine; self.index = index; self.measurer = measurer
        tb = TextBlock(markup: markup, font: font, color: color)
    }
    var spaceBefore: Double { tb.font.size * 1.1 }
    var keepWithNext: Bool { true }
    var after: Double { tb.font.size * 0.45 }
    func minimumHeight(width: Double) -> Double { measure(width).height + after }
    func measure(_ width: Double) -> TextMetrics { var t = tb; t.width = width; return measurer.measure(t) }

    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        var t = tb; t.width = area.width
        let h = measurer.measure(t).height
        if h > area.height && !pageIsEmpty { return (0, true) }
        engine.headingPages[index] = page.index
        let origin = Point(area.minX, area.minY)
        page.draw { b in b.drawText(t, at: origin, angle: 0, lines: nil) }
        page.place(.heading, Markup.plainText(t.markup), Rect(origin: origin, size: Size(area.width, h)))
        return (h + after, false)
    }
}

/// Title, subtitle, author and date at the top of the first page.
final class TitleElement: FlowElement {
    let blocks: [TextBlock]
    let measurer: any TextMeasurer
    let accent: Color
    init(document d: Document, measurer: any TextMeasurer) {
        self.measurer = measurer
        accent = d.style.accent
        var b = [TextBlock(markup: Markup.escape(d.title), font: Font(.sans, size: 21, bold: true), color: d.style.ink, lineSpacing: 0.1)]
        if let s = d.subtitle { b.append(TextBlock(plain: s, font: Font(.sans, size: 12.5), color: d.style.muted)) }
        let byline = [d.author, d.date].compactMap { $0 }.joined(separator: "  ·  ")
        if !byline.isEmpty { b.append(TextBlock(plain: byline, font: Font(.sans, size: 9.5), color: d.style.muted)) }
        blocks = b
    }
    var spaceBefore: Double { 0 }
    func minimumHeight(width: Double) -> Double { 0 }
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        var y = area.minY
        var placed: [(TextBlock, Point)] = []
        for var t in blocks {
            t.width = area.width
            placed.append((t, Point(area.minX, y)))
            y += measurer.measure(t).height + 5
        }
        let ruleY = y + 4
        let accent = self.accent
        page.draw { b in
            for (t, p) in placed { b.drawText(t, at: p, angle: 0, lines: nil) }
            b.fillRect(Rect(x: area.minX, y: ruleY, width: 48, height: 2.5), accent)
            b.line(Point(area.minX + 48, ruleY + 1.25), Point(area.maxX, ruleY + 1.25), StrokeStyle(color: Color(hex: 0xCCCCCC), width: 0.6))
        }
        page.place(.title, Markup.plainText(blocks[0].markup), Rect(x: area.minX, y: area.minY, width: area.width, height: ruleY - area.minY))
        return (ruleY - area.minY + 16, false)
    }
}

/// Table of contents: level-1 and level-2 headings with dot leaders and page numbers. The page
/// numbers are read when drawing, after pagination has placed every heading.
final class TOCElement: FlowElement {
    unowned let engine: LayoutEngine
    var next = -1 // -1: the "Contents" title is still to place
    init(engine: LayoutEngine) { self.engine = engine }
    var spaceBefore: Double { 4 }
    var entries: [(Int, (level: Int, number: String, title: String))] {
        engine.headingEntries.enumerated().filter { $0.element.level <= 2 }.map { ($0.offset, $0.element) }
    }
    func row(_ e: (level: Int, number: String, title: String), width: Double) -> TextBlock {
        let s = engine.document.style
        let font = e.level == 1 ? Font(.sans, size: 10.5, bold: true) : Font(.sans, size: 10)
        return TextBlock(markup: "\(e.number)  " + engine.inline(e.title, where: "table of contents"), font: font, color: s.ink, width: width - (e.level == 1 ? 0 : 16) - 40)
    }
    func minimumHeight(width: Double) -> Double { 40 }
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        var y = area.minY
        let m = engine.measurer
        if next == -1 {
            let t = TextBlock(plain: engine.document.language.contents, font: engine.document.style.heading2, color: engine.document.style.ink)
            let h = m.measure(t).height, titleY = y
            page.draw { b in b.drawText(t, at: Point(area.minX, titleY), angle: 0, lines: nil) }
            page.place(.toc, Markup.plainText(t.markup), Rect(x: area.minX, y: y, width: area.width, height: h))
            y += h + 6; next = 0
        }
        let list = entries
        while next < list.count {
            let (index, e) = list[next]
            let t = row(e, width: area.width)
            let tm = m.measure(t)
            let gap = e.level == 1 ? 4.0 : 1.5
            if y + gap + tm.height > area.maxY && y > area.minY { return (y - area.minY, true) }
            y += gap
            let x = area.minX + (e.level == 1 ? 0 : 16)
            let rowY = y, engine = self.engine, font = t.font, lastLine = tm.lines.last?.top ?? 0
            page.draw { b in
                b.drawText(t, at: Point(x, rowY), angle: 0, lines: nil)
                let number = TextBlock(plain: "\((engine.headingPages[index] ?? 0) + 1)", font: font, color: engine.document.style.ink)
                let nm = b.measurer.measure(number)
                let baseline = rowY + lastLine + nm.baseline
                b.drawText(number, at: Point(area.maxX - nm.width, baseline - nm.baseline), angle: 0, lines: nil)
                let lastWidth = tm.lines.count == 1 ? tm.width : t.width ?? 0
                let from = x + lastWidth + 6, to = area.maxX - nm.width - 6
                if to > from { b.stroke(.line(Point(from, baseline), Point(to, baseline)), style: StrokeStyle(color: Color(hex: 0x999999), width: 0.8, dash: [0.01, 3], roundCaps: true)) }
            }
            page.place(.toc, Markup.plainText(t.markup), Rect(x: x, y: rowY, width: area.maxX - x, height: tm.height))
            y += tm.height
            next += 1
        }
        return (y - area.minY + 8, false)
    }
}

/// A code listing: highlighted, wrapped at the text width with "↪" continuation marks, on a
/// tinted background; splits across pages between lines.
final class CodeElement: FlowElement {
    let source: String
    let highlight: Bool
    let font: Font
    let measurer: any TextMeasurer
    var cached: (width: Double, block: TextBlock, spans: [Double])?
    var next = 0
    let pad = 6.0
    init(source: String, highlight: Bool, font: Font, measurer: any TextMeasurer) {
        self.source = source; self.highlight = highlight; self.font = font; self.measurer = measurer
    }
    var spaceBefore: Double { 8 }
    func prepared(_ width: Double) -> (block: TextBlock, spans: [Double]) {
        if let c = cached, c.width == width { return (c.block, c.spans) }
        let advance = measurer.measure(TextBlock(plain: String(repeating: "0", count: 40), font: font)).width / 40
        let columns = Int((width - 2 * pad) / max(advance, 0.1))
        let lines = SwiftHighlighter.wrappedLines(source, columns: columns, highlight: highlight)
        let tb = TextBlock(markup: lines.isEmpty ? " " : lines.joined(separator: "\n"), font: font, color: Color(hex: 0x1A1A1A), lineSpacing: 0.12)
        let spans = lineSpans(measurer.measure(tb))
        cached = (width, tb, spans)
        return (tb, spans)
    }
    func minimumHeight(width: Double) -> Double { prepared(width).spans.prefix(3).reduce(0, +) + 2 * pad }
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) {
        let (tb, spans) = prepared(area.width)
        var end = next, h = 0.0
        while end < spans.count, h + spans[end] <= area.height - 2 * pad + 0.01 { h += spans[end]; end += 1 }
        if end < spans.count && end - next >= 3 && spans.count - end == 1 { end -= 1; h -= spans[end] } // no widow
        if end < spans.count && end - next < 2 && !pageIsEmpty { return (0, true) }
        if end == next { end = next + 1; h = spans[next] }
        let range = next..<end
        let frame = Rect(x: area.minX, y: area.minY, width: area.width, height: h + 2 * pad)
        page.draw { b in
            b.fill(.roundedRect(frame, radius: 3), color: Color(hex: 0xF5F7F9))
            b.stroke(.roundedRect(frame, radius: 3), style: StrokeStyle(color: Color(hex: 0xDDE1E5), width: 0.6))
            b.drawText(tb, at: Point(frame.minX + 6, frame.minY + 6), angle: 0, lines: range)
        }
        page.place(.code, Markup.plainText(tb.markup).components(separatedBy: "\n")[range].joined(separator: "\n"), frame)
        next = end
        return (frame.height, end < spans.count)
    }
}
