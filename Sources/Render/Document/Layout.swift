// Pagination in one loop (genpdf's model): each element renders into the space left on the page
// and returns (used height, hasMore); when hasMore is true the loop starts a new page and calls it
// again. Everything is measured before it is placed; nothing is drawn until layout is finished,
// so the table of contents can show page numbers that are only known at the end.
import Foundation

/// The result of paginating a document: per-page placed items (for tests and tools) and the
/// drawing operations that reproduce it on any backend.
public final class DocumentLayout {
    /// What a placed item is.
    public enum Kind: String, Sendable { case title, toc, heading, paragraph, listItem, code, tableCaption, tableHeader, tableRow, figure, caption, callout }
    /// A placed item: its kind, plain text (for figures, the caption), and rectangle on the page.
    public struct Item: Sendable { public var kind: Kind; public var text: String; public var rect: Rect }
    public struct Page {
        public internal(set) var items: [Item] = []
        var ops: [(any RenderBackend) -> Void] = []
    }
    public internal(set) var pages: [Page] = []
    /// Every heading with its number ("2.1") and 1-based page.
    public internal(set) var headings: [(number: String, title: String, page: Int)] = []
    let document: Document
    /// The engine that made this layout; drawing operations read its heading pages (for the contents).
    var engine: LayoutEngine?

    init(document: Document) { self.document = document }

    /// Page index (0-based) of the first item whose text contains `text`.
    public func page(containing text: String, kind: Kind? = nil) -> Int? {
        pages.firstIndex { $0.items.contains { ($0.text.contains(text)) && (kind == nil || $0.kind == kind) } }
    }

    /// Draws every page, with `newPage()` between pages.
    public func draw(on b: any RenderBackend) {
        for i in pages.indices {
            if i > 0 { b.newPage() }
            draw(page: i, on: b)
        }
    }

    /// Draws one page: running header, footer with the page number, then the content.
    public func draw(page i: Int, on b: any RenderBackend) {
        b.location = "page \(i + 1)"
        let d = document, s = d.style
        let left = d.margins.left, right = d.pageSize.width - d.margins.right
        if i > 0 {
            let header = TextBlock(plain: d.header ?? d.title, font: s.small, color: s.muted)
            b.text(header, at: Point(left, d.margins.top - 22), anchor: (0, 1))
            b.line(Point(left, d.margins.top - 18), Point(right, d.margins.top - 18), StrokeStyle(color: Color(hex: 0xBBBBBB), width: 0.5))
        }
        let footerY = d.pageSize.height - d.margins.bottom + 26
        b.text(TextBlock(plain: d.language.page(i + 1, of: pages.count), font: s.small, color: s.muted), at: Point(d.pageSize.width / 2, footerY), anchor: (0.5, 0))
        if let f = d.footer {
            b.text(TextBlock(plain: f, font: s.small, color: s.muted), at: Point(left, footerY), anchor: (0, 0))
        }
        for op in pages[i].ops { op(b) }
    }
}

/// The page under construction.
final class PageBuilder {
    let index: Int
    var page = DocumentLayout.Page()
    init(index: Int) { self.index = index }
    func draw(_ op: @escaping (any RenderBackend) -> Void) { page.ops.append(op) }
    func place(_ kind: DocumentLayout.Kind, _ text: String, _ rect: Rect) { page.items.append(.init(kind: kind, text: text, rect: rect)) }
}

/// A flowing element. `render` draws into `area` (its top is where the element starts) and
/// returns how much height it used and whether anything is left for the next page. When
/// `pageIsEmpty` is true it must make progress, even if that means overflowing.
protocol FlowElement: AnyObject {
    var spaceBefore: Double { get }
    var keepWithNext: Bool { get }
    /// The height that must fit for the element to start on this page (first lines, header and a row…).
    func minimumHeight(width: Double) -> Double
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool)
}

extension FlowElement {
    var keepWithNext: Bool { false }
}

final class PageBreakElement: FlowElement {
    var spaceBefore: Double { 0 }
    func minimumHeight(width: Double) -> Double { 0 }
    func render(in area: Rect, page: PageBuilder, pageIsEmpty: Bool) -> (used: Double, hasMore: Bool) { (0, false) }
}

/// Builds the elements from the blocks and runs the pagination loop.
final class LayoutEngine {
    let document: Document
    let measurer: any TextMeasurer
    var unresolved: [(String, String)] = []
    var errors: [RenderError] = []
    /// Cross-reference label → display text ("Figure 2").
    var references: [String: String] = [:]
    /// Heading numbers in order, and the page each heading landed on (filled during layout).
    var headingEntries: [(level: Int, number: String, title: String)] = []
    var headingPages: [Int: Int] = [:]

    init(document: Document, measurer: any TextMeasurer) {
        self.document = document; self.measurer = measurer
        numberBlocks()
    }

    var content: Rect {
        let d = document
        return Rect(x: d.margins.left, y: d.margins.top, width: d.pageSize.width - d.margins.left - d.margins.right,
                    height: d.pageSize.height - d.margins.top - d.margins.bottom)
    }

    /// First pass: numbers for headings, figures and tables, so references resolve anywhere.
    func numberBlocks() {
        var counters = [0, 0, 0], figures = 0, tables = 0
        for block in document.blocks {
            switch block {
            case let .heading(title, level, label):
                let l = min(max(level, 1), 3) - 1
                counters[l] += 1
                for k in (l + 1)..<3 { counters[k] = 0 }
                let number = counters[0...l].map(String.init).joined(separator: ".")
                headingEntries.append((l + 1, number, title))
                if let label { references[label] = document.language.section(number) }
            case .figure(let f):
                figures += 1
                if let label = f.label { references[label] = document.language.figure(figures) }
            case .table(let t):
                tables += 1
                if let label = t.label { references[label] = document.language.table(tables) }
            default: break
            }
        }
    }

    func inline(_ md: String, where location: String) -> String {
        var converter = InlineMarkdown { [references] in references[$0] }
        let out = converter.markup(md)
        for u in converter.unresolved { unresolved.append((u, location)) }
        return out
    }

    func makeElements() -> [any FlowElement] {
        let s = document.style, lang = document.language
        var out: [any FlowElement] = [TitleElement(document: document, measurer: measurer)]
        if document.tableOfContents {
            out.append(TOCElement(engine: self))
        }
        var headingIndex = 0, figures = 0, tables = 0
        for (bi, block) in document.blocks.enumerated() {
            let location = "block \(bi + 1)"
            switch block {
            case let .heading(title, level, _):
                let entry = headingEntries[headingIndex]
                let font = [s.heading1, s.heading2, s.heading3][entry.level - 1]
                out.append(HeadingElement(engine: self, index: headingIndex, markup: "\(entry.number)  " + inline(title, where: location), font: font, color: s.ink, measurer: measurer))
                headingIndex += 1
            case .paragraph(let md):
                for part in MarkdownBlocks.split(md) {
                    switch part {
                    case .paragraph(let text):
                        out.append(TextElement(markup: inline(text, where: location), font: s.body, color: s.ink, leading: s.bodyLeading, measurer: measurer, kind: .paragraph))
                    case let .item(marker, text, depth):
                        let e = TextElement(markup: inline(text, where: location), font: s.body, color: s.ink, leading: s.bodyLeading, measurer: measurer, kind: .listItem)
                        e.indent = 16 + Double(depth) * 14; e.marker = marker; e.spaceBefore = 2
                        out.append(e)
                    }
                }
            case let .code(source, language):
                out.append(CodeElement(source: source, highlight: language == .swift, font: s.code, measurer: measurer))
            case .table(let t):
                tables += 1
                let caption = t.caption.map { "<b>\(lang.table(tables))</b>\(lang.captionSeparator)" + inline($0, where: location) }
                out.append(TableElement(table: t, caption: caption, continued: "<b>\(lang.table(tables))</b>\(lang.continued)", engine: self, location: location))
            case .figure(let f):
                figures += 1
                let caption = "<b>\(lang.figure(figures))</b>\(lang.captionSeparator)" + inline(f.caption, where: location)
                out.append(FigureElement(figure: f, caption: caption, engine: self, location: location))
            case let .callout(kind, md):
                let title = "<b>\(lang.callout(kind))</b>  "
                let parts = MarkdownBlocks.split(md).map { part -> String in
                    switch part {
                    case .paragraph(let t): return inline(t, where: location)
                    case let .item(m, t, d): return String(repeating: "  ", count: d + 1) + m + " " + inline(t, where: location)
                    }
                }
                let e = TextElement(markup: title + parts.joined(separator: "\n"), font: s.body, color: s.ink, leading: s.bodyLeading, measurer: measurer, kind: .callout)
                e.box = kind == .exercise ? (Color(hex: 0xFFF4E0), Color(hex: 0xE69F00)) : kind == .warning ? (Color(hex: 0xFBE5DC), Color(hex: 0xD55E00)) : (Color(hex: 0xE6F0F8), Color(hex: 0x0072B2))
                e.spaceBefore = 10
                out.append(e)
            case .pageBreak:
                out.append(PageBreakElement())
            }
        }
        return out
    }

    func run() -> DocumentLayout {
        let result = DocumentLayout(document: document)
        result.engine = self
        let elements = makeElements()
        let area = content
        var pages: [PageBuilder] = [PageBuilder(index: 0)]
        var y = area.minY
        var pageIsEmpty = true
        func newPage() { pages.append(PageBuilder(index: pages.count)); y = area.minY; pageIsEmpty = true }
        for (i, e) in elements.enumerated() {
            if e is PageBreakElement { if !pageIsEmpty { newPage() }; continue }
            let gap = pageIsEmpty ? 0 : e.spaceBefore
            if e.keepWithNext, i + 1 < elements.count, !pageIsEmpty {
                // Keep-with-next: this element plus the start of the next must fit, or both move on.
                let next = elements[i + 1]
                let need = gap + e.minimumHeight(width: area.width) + next.spaceBefore + next.minimumHeight(width: area.width)
                if need > area.maxY - y { newPage() }
            }
            y += pageIsEmpty ? 0 : e.spaceBefore
            while true {
                let r = Rect(x: area.minX, y: y, width: area.width, height: max(0, area.maxY - y))
                let (used, more) = e.render(in: r, page: pages[pages.count - 1], pageIsEmpty: pageIsEmpty)
                y += used
                if used > 0 { pageIsEmpty = false }
                if !more { break }
                if pageIsEmpty && used == 0 { break } // an element that cannot progress on an empty page is dropped, not looped on
                newPage()
            }
        }
        result.pages = pages.map(\.page)
        result.headings = headingEntries.enumerated().map { ($0.element.number, $0.element.title, (headingPages[$0.offset] ?? 0) + 1) }
        return result
    }
}
