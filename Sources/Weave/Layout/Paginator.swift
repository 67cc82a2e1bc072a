// Pagination in the genpdf manner: every item is measured before it is placed, text items can be
// split between lines, and page breaks happen in one loop. Drawing is a second pass over the placed
// fragments, so a table of contents can print page numbers that pagination has just decided.
import Foundation
import Render

/// A background for a text item (code listings, outputs, call-outs).
struct BoxStyle {
    var fill: Color
    /// A coloured bar on the left edge (call-outs), nil for none.
    var bar: Color?
    var padding: Double = 5
}

/// Something the paginator places.
enum LayoutItem {
    /// Wrapped text that may be split between lines across pages. `indent` shifts it right.
    case text(TextBlock, indent: Double, box: BoxStyle?, spaceBefore: Double, spaceAfter: Double, keepWithNext: Bool)
    /// A block that is never split (figures, table rows, headings' rules); `draw` gets its rectangle.
    case atomic(height: Double, spaceBefore: Double, spaceAfter: Double, keepWithNext: Bool,
                draw: (Rect, any RenderBackend) -> Void)
    /// Records the page it lands on under `id` (for the table of contents).
    case anchor(String)
    case pageBreak
}

/// A placed part of an item on a page.
struct Fragment {
    var item: Int
    /// For text items: the wrapped lines drawn here.
    var lines: Range<Int>?
    /// Where the fragment sits (including a box's padding).
    var rect: Rect
}

/// The result of pagination.
struct Pagination {
    var pages: [[Fragment]]
    /// Anchor id → page index (0-based).
    var anchors: [String: Int]
}

/// Places items on pages of `content` height.
struct Paginator {
    var content: Rect
    var measurer: any TextMeasurer

    /// Line boxes of a text item: tops (relative) and heights; a box adds its padding.
    func textMetrics(_ block: TextBlock, indent: Double, box: BoxStyle?) -> TextMetrics {
        var b = block
        b.width = content.width - indent - 2 * (box?.padding ?? 0) - (box?.bar != nil ? 3 : 0)
        return measurer.measure(b)
    }

    /// Height of lines `r` of a measured block.
    static func height(_ m: TextMetrics, _ r: Range<Int>) -> Double {
        guard !r.isEmpty else { return 0 }
        let top = m.lines[r.lowerBound].top
        let bottom = r.upperBound < m.lines.count ? m.lines[r.upperBound].top : m.height
        return bottom - top
    }

    /// The smallest height the item needs on a page (for keep-with-next).
    func minimumHeight(_ item: LayoutItem) -> Double {
        switch item {
        case let .text(block, indent, box, spaceBefore, _, _):
            let m = textMetrics(block, indent: indent, box: box)
            return spaceBefore + Paginator.height(m, 0..<min(2, m.lines.count)) + 2 * (box?.padding ?? 0)
        case let .atomic(height, spaceBefore, _, _, _): return spaceBefore + height
        case .anchor, .pageBreak: return 0
        }
    }

    func paginate(_ items: [LayoutItem]) -> Pagination {
        var pages: [[Fragment]] = [[]]
        var anchors: [String: Int] = [:]
        // An anchor takes the page of the next item's first fragment: a heading pushed to the next
        // page (keep-with-next) must not be listed on the page before.
        var pendingAnchors: [String] = []
        var y = content.minY
        func newPage() { pages.append([]); y = content.minY }
        func atTop() -> Bool { pages[pages.count - 1].isEmpty }
        func place(_ fragment: Fragment) {
            for id in pendingAnchors { anchors[id] = pages.count - 1 }
            pendingAnchors = []
            pages[pages.count - 1].append(fragment)
        }
        func remaining() -> Double { content.maxY - y }

        for (index, item) in items.enumerated() {
            let next = items.dropFirst(index + 1).first { if case .anchor = $0 { false } else { true } }
            switch item {
            case let .anchor(id):
                pendingAnchors.append(id)
            case .pageBreak:
                if !atTop() { newPage() }
            case let .atomic(height, spaceBefore, spaceAfter, keep, _):
                let before = atTop() ? 0 : spaceBefore
                var need = before + height
                if keep, let next { need += minimumHeight(next) }
                if need > remaining() && !atTop() { newPage() }
                y += atTop() ? 0 : before
                place(Fragment(item: index, lines: nil, rect: Rect(x: content.minX, y: y, width: content.width, height: height)))
                y += height + spaceAfter
            case let .text(block, indent, box, spaceBefore, spaceAfter, keep):
                let m = textMetrics(block, indent: indent, box: box)
                let pad = box?.padding ?? 0
                var first = 0
                let count = max(m.lines.count, 1)
                if keep, let next {
                    let whole = spaceBefore + Paginator.height(m, 0..<m.lines.count) + 2 * pad + minimumHeight(next)
                    if whole > remaining() && !atTop() { newPage() }
                }
                while first < count {
                    let before = atTop() ? 0 : (first == 0 ? spaceBefore : 0)
                    // As many lines as fit (at least one, at the top of a page, so nothing loops forever).
                    var last = first
                    while last < count,
                          before + Paginator.height(m, first..<(last + 1)) + 2 * pad <= remaining() { last += 1 }
                    // Keep at least two lines of a paragraph together at a page bottom (no lone first line).
                    if last == first || (first == 0 && last == 1 && count > 2) {
                        if !atTop() { newPage(); continue }
                        last = max(last, first + 1)
                    }
                    y += before
                    let h = (m.lines.isEmpty ? m.height : Paginator.height(m, first..<last)) + 2 * pad
                    place(Fragment(item: index, lines: m.lines.isEmpty ? nil : first..<last,
                                   rect: Rect(x: content.minX + indent, y: y, width: content.width - indent, height: h)))
                    y += h
                    first = last
                    if first < count { newPage() }
                }
                y += spaceAfter
            }
        }
        for id in pendingAnchors { anchors[id] = pages.count - 1 }
        if pages.count > 1, pages[pages.count - 1].isEmpty { pages.removeLast() }
        return Pagination(pages: pages, anchors: anchors)
    }

    /// Draws one fragment.
    func draw(_ fragment: Fragment, of item: LayoutItem, on b: any RenderBackend) {
        switch item {
        case let .text(block, indent, box, _, _, _):
            var t = block
            let pad = box?.padding ?? 0
            let bar = box?.bar != nil ? 3.0 : 0
            t.width = content.width - indent - 2 * pad - bar
            if let box {
                b.fillRect(fragment.rect, box.fill)
                if let barColor = box.bar {
                    b.fillRect(Rect(x: fragment.rect.minX, y: fragment.rect.minY, width: bar, height: fragment.rect.height), barColor)
                }
            }
            b.drawText(t, at: Point(fragment.rect.minX + pad + bar, fragment.rect.minY + pad), angle: 0, lines: fragment.lines ?? 0..<Int.max)
        case let .atomic(_, _, _, _, draw):
            draw(fragment.rect, b)
        case .anchor, .pageBreak:
            break
        }
    }
}
