// Handout elements -> layout items: prose as wrapped serif text, code and outputs in tinted boxes,
// figures as images with numbered captions, tables as rows, call-outs with a coloured bar, and the
// provenance footer at the end.
import Foundation
import Notebook
import Render

/// Turns a `Handout` into layout items.
struct HandoutLayout {
    var style: HandoutStyle
    var measurer: any TextMeasurer
    /// Loads a figure for embedding (path relative to the output root); nil when missing.
    var image: (String) -> RasterImage?

    var width: Double { style.content.width }

    func text(_ markup: String, _ font: Font, color: Color? = nil, alignment: TextAlignment = .left, leading: Double? = nil) -> TextBlock {
        TextBlock(markup: markup, font: font, color: color ?? style.ink, width: width, alignment: alignment,
                  lineSpacing: leading ?? style.leading)
    }

    /// The lesson title block (and an anchor for the book's table of contents).
    func title(_ handout: Handout, anchor: String?) -> [LayoutItem] {
        var items: [LayoutItem] = []
        if let anchor { items.append(.anchor(anchor)) }
        items.append(.text(text(Markup.escape(handout.title), style.titleFont, leading: 0.15), indent: 0, box: nil,
                           spaceBefore: 0, spaceAfter: 4, keepWithNext: true))
        let rule = style.accent
        items.append(.atomic(height: 1.2, spaceBefore: 2, spaceAfter: 12, keepWithNext: true) { r, b in
            b.fillRect(Rect(x: r.minX, y: r.minY, width: r.width, height: 1.2), rule)
        })
        return items
    }

    func items(_ handout: Handout, anchorPrefix: String? = nil) -> [LayoutItem] {
        let l = handout.language
        var items = title(handout, anchor: anchorPrefix)
        var sectionIndex = 0
        for element in handout.elements {
            switch element {
            case let .heading(level, markup, _):
                if level == 2, let prefix = anchorPrefix { items.append(.anchor("\(prefix)#\(sectionIndex)")); sectionIndex += 1 }
                items.append(.text(text(markup, style.heading(level), leading: 0.15), indent: 0, box: nil,
                                   spaceBefore: level <= 2 ? 14 : 10, spaceAfter: 5, keepWithNext: true))
            case let .paragraph(markup):
                items.append(.text(text(markup, style.body), indent: 0, box: nil, spaceBefore: 0, spaceAfter: 7, keepWithNext: false))
            case let .listItem(marker, markup):
                items.append(listItem(marker, markup))
            case let .formula(markup):
                items.append(.text(text(markup, Font(.serif, size: style.body.size + 1), alignment: .center), indent: 0, box: nil,
                                   spaceBefore: 3, spaceAfter: 9, keepWithNext: false))
            case let .code(code, _):
                items.append(.text(text(Markup.escape(code), style.code, leading: 0.12), indent: 0,
                                   box: BoxStyle(fill: style.codeFill, bar: nil), spaceBefore: 2, spaceAfter: 4, keepWithNext: false))
            case let .folded(title, _):
                let markup = "▸ <i>" + Markup.escape(title) + "</i>  <span foreground=\"\(style.muted.hexString)\">(" + Words.folded(l) + ")</span>"
                items.append(.text(text(markup, style.code), indent: 0, box: BoxStyle(fill: style.codeFill, bar: nil),
                                   spaceBefore: 2, spaceAfter: 4, keepWithNext: false))
            case let .output(lines, _):
                items.append(.text(text(Markup.escape(lines.joined(separator: "\n")), style.code, leading: 0.12), indent: 0,
                                   box: BoxStyle(fill: style.outputFill, bar: style.outputBar), spaceBefore: 0, spaceAfter: 8,
                                   keepWithNext: false))
            case let .table(table, number, _):
                items += self.table(table, number: number, language: l)
            case let .figure(figure, number, file, _):
                items += self.figure(figure, number: number, file: file, language: l)
            case let .note(markup, _):
                items.append(callout("<b>" + Words.note(l) + "</b>  " + markup, fill: style.noteFill, bar: style.accent))
            case let .exercise(markup, grader, _):
                var m = "<b>" + Words.exercise(l) + "</b>  " + markup
                if let grader { m += "\n<span font_size=\"smaller\">" + Words.graded(l) + ": <tt>" + Markup.escape(grader) + "</tt></span>" }
                items.append(callout(m, fill: style.exerciseFill, bar: style.exerciseBar))
            }
        }
        items += footer(handout)
        return items
    }

    func listItem(_ marker: String, _ markup: String) -> LayoutItem {
        // A hanging indent: the marker sits in the gutter, the text wraps at the indent.
        let indent = 16.0
        let font = style.body, ink = style.ink
        let markerBlock = TextBlock(plain: marker, font: font, color: ink)
        let body = TextBlock(markup: markup, font: font, color: ink, width: width - indent, lineSpacing: style.leading)
        let m = measurer.measure(body)
        if m.height > style.content.height / 3 {
            // Long items may need to split across pages; print the marker inline instead.
            return .text(text(Markup.escape(marker) + " " + markup, font), indent: indent / 2, box: nil, spaceBefore: 0, spaceAfter: 4, keepWithNext: false)
        }
        return .atomic(height: m.height, spaceBefore: 0, spaceAfter: 4, keepWithNext: false) { r, b in
            b.place(markerBlock, at: Point(r.minX + 3, r.minY))
            b.place(body, at: Point(r.minX + indent, r.minY))
        }
    }

    func callout(_ markup: String, fill: Color, bar: Color) -> LayoutItem {
        .text(text(markup, Font(.sans, size: style.body.size - 0.5)), indent: 0, box: BoxStyle(fill: fill, bar: bar, padding: 7),
              spaceBefore: 4, spaceAfter: 10, keepWithNext: false)
    }

    func caption(_ word: String, _ number: Int, _ caption: String, _ l: Language) -> TextBlock {
        TextBlock(markup: "<b>" + Markup.escape(Words.numbered(word, number, l)) + "</b>" + Markdown.inline(caption),
                  font: style.caption, color: style.ink, width: width * 0.9, alignment: .center, lineSpacing: 0.2)
    }

    func figure(_ figure: FigureRecord, number: Int, file: String, language l: Language) -> [LayoutItem] {
        let cap = caption(Words.figure(l), number, figure.caption.text(for: l), l)
        let capHeight = measurer.measure(cap).height
        let maxW = width * 0.9, maxH = style.content.height * style.figureMaxHeight
        guard let img = image(file) else {
            let missing = TextBlock(plain: "[\(Words.missingFigure(l)): \(file)]", font: style.caption, color: Color(hex: 0xB00020),
                                    width: width, alignment: .center)
            return [.atomic(height: 24 + capHeight, spaceBefore: 6, spaceAfter: 10, keepWithNext: false) { r, b in
                b.strokeRect(Rect(x: r.minX, y: r.minY, width: r.width, height: 20), StrokeStyle(color: Color(hex: 0xB00020), dash: [3, 2]))
                b.place(missing, at: Point(r.minX, r.minY + 4))
                b.place(cap, at: Point(r.minX + (r.width - maxW) / 2, r.minY + 24))
            }]
        }
        let scale = min(maxW / Double(img.width), maxH / Double(img.height))
        let w = Double(img.width) * scale, h = Double(img.height) * scale
        return [.atomic(height: h + 6 + capHeight, spaceBefore: 6, spaceAfter: 12, keepWithNext: false) { r, b in
            b.drawImage(img, in: Rect(x: r.minX + (r.width - w) / 2, y: r.minY, width: w, height: h), smooth: true)
            b.place(cap, at: Point(r.minX + (r.width - maxW) / 2, r.minY + h + 6))
        }]
    }

    func table(_ t: TableRecord, number: Int, language l: Language) -> [LayoutItem] {
        var items: [LayoutItem] = []
        if let c = t.caption {
            let cap = caption(Words.table(l), number, c.text(for: l), l)
            let h = measurer.measure(cap).height
            items.append(.atomic(height: h, spaceBefore: 6, spaceAfter: 4, keepWithNext: true) { r, b in
                b.place(cap, at: Point(r.minX + r.width * 0.05, r.minY))
            })
        }
        let columns = max(t.header.count, t.rows.map(\.count).max() ?? 0)
        guard columns > 0 else { return items }
        let font = Font(.sans, size: style.body.size - 1.5), bold = Font(.sans, size: style.body.size - 1.5, bold: true)
        let pad = 6.0
        func cell(_ row: [String], _ c: Int) -> String { c < row.count ? row[c] : "" }
        let natural = (0..<columns).map { c in
            ([t.header] + t.rows).map { measurer.measure(TextBlock(plain: cell($0, c), font: bold)).width }.max() ?? 0
        }
        // A column never gets narrower than its widest word, so numbers are never split across lines;
        // when the natural widths do not fit, the space left after those minimums goes to the
        // columns in proportion to how much wrapping they can absorb.
        let minimum = (0..<columns).map { c in
            ([t.header] + t.rows).flatMap { cell($0, c).split(separator: " ") }
                .map { measurer.measure(TextBlock(plain: String($0), font: bold)).width }.max() ?? 0
        }
        let available = width - Double(columns) * 2 * pad
        let content: [Double]
        if natural.reduce(0, +) <= available {
            content = natural
        } else if minimum.reduce(0, +) >= available {
            content = minimum.map { $0 * available / max(minimum.reduce(0, +), 1) }
        } else {
            let slack = zip(natural, minimum).map { $0 - $1 }
            let share = (available - minimum.reduce(0, +)) / max(slack.reduce(0, +), 1)
            content = zip(minimum, slack).map { $0 + $1 * share }
        }
        let widths = content.map { $0 + 2 * pad }
        let tableWidth = widths.reduce(0, +)
        let numeric = (0..<columns).map { c in
            !t.rows.isEmpty && t.rows.allSatisfy { Double(cell($0, c).replacingOccurrences(of: ",", with: "")) != nil }
        }
        let ink = style.ink, rule = style.muted
        func row(_ cells: [String], header: Bool, last: Bool) -> LayoutItem {
            let blocks = (0..<columns).map { c in
                TextBlock(plain: cell(cells, c), font: header ? bold : font, color: ink, width: widths[c] - 2 * pad,
                          alignment: numeric[c] && !header ? .right : .left)
            }
            let h = (blocks.map { measurer.measure($0).height }.max() ?? 0) + 6
            return .atomic(height: h, spaceBefore: 0, spaceAfter: last ? 10 : 0, keepWithNext: header) { r, b in
                let x0 = r.minX + (r.width - tableWidth) / 2
                var x = x0
                for (c, block) in blocks.enumerated() {
                    b.place(block, at: Point(x + pad, r.minY + 3))
                    x += widths[c]
                }
                if header {
                    b.line(Point(x0, r.minY), Point(x0 + tableWidth, r.minY), StrokeStyle(color: rule, width: 0.9))
                    b.line(Point(x0, r.maxY), Point(x0 + tableWidth, r.maxY), StrokeStyle(color: rule, width: 0.6))
                }
                if last { b.line(Point(x0, r.maxY), Point(x0 + tableWidth, r.maxY), StrokeStyle(color: rule, width: 0.9)) }
            }
        }
        items.append(row(t.header, header: true, last: t.rows.isEmpty))
        for (i, r) in t.rows.enumerated() { items.append(row(r, header: false, last: i == t.rows.count - 1)) }
        return items
    }

    /// The provenance footer and any problems of the run.
    func footer(_ handout: Handout) -> [LayoutItem] {
        let l = handout.language
        var items: [LayoutItem] = []
        if !handout.problems.isEmpty {
            let markup = "<b>" + Words.problems(l) + "</b>\n" + handout.problems.map { "• " + Markup.escape($0) }.joined(separator: "\n")
            items.append(callout(markup, fill: Color(hex: 0xFBE9EB), bar: Color(hex: 0xB00020)))
        }
        let lines = handout.provenance.lines(for: l)
        let markup = "<b>" + Words.provenance(l) + "</b>  " + lines.map(Markup.escape).joined(separator: "\n")
        let rule = style.muted
        items.append(.atomic(height: 0.6, spaceBefore: 16, spaceAfter: 4, keepWithNext: true) { r, b in
            b.fillRect(Rect(x: r.minX, y: r.minY, width: r.width, height: 0.6), rule)
        })
        items.append(.text(text(markup, style.small, color: style.muted, leading: 0.2), indent: 0, box: nil,
                           spaceBefore: 0, spaceAfter: 0, keepWithNext: false))
        return items
    }
}
