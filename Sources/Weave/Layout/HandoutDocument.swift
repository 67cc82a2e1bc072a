// Paged PDF documents: one lesson's handout, or the course book (title page, table of contents,
// every lesson). Files are written through Render's `Surface`, which renders into a temporary file
// and renames it into place only when Cairo and Pango reported no error.
import Foundation
import Notebook
import Render

/// Page numbers decided by pagination, read back when the table of contents is drawn.
final class PageNumbers: @unchecked Sendable {
    var anchors: [String: Int] = [:]
    /// Printed number of page index `i` (the title page is page 1).
    func printed(_ id: String) -> String { anchors[id].map { String($0 + 1) } ?? "?" }
}

/// Writes handouts and the course book.
public enum HandoutDocument {
    /// Writes one lesson's handout to `url` (PDF). Figures are read from `outputRoot`.
    /// - Returns: the number of pages.
    /// - Throws: `RenderError` (a missing glyph, an unwritable file); `url` is then left as it was.
    @discardableResult
    public static func write(_ handout: Handout, to url: URL, outputRoot: URL, style: HandoutStyle = .standard) throws -> Int {
        var pages = 0
        try Surface.write(to: url, format: .pdf, pageSize: style.pageSize, title: handout.title) { b in
            pages = draw([handout], book: false, on: b, outputRoot: outputRoot, style: style)
        }
        return pages
    }

    /// Writes the course book: a title page, a table of contents (lessons and their sections with
    /// page numbers), then every lesson starting on a new page. All handouts share one language.
    @discardableResult
    public static func writeBook(_ handouts: [Handout], to url: URL, outputRoot: URL, style: HandoutStyle = .standard) throws -> Int {
        precondition(Set(handouts.map(\.language)).count <= 1, "HandoutDocument.writeBook: handouts in several languages")
        var pages = 0
        let language = handouts.first?.language ?? .zh
        try Surface.write(to: url, format: .pdf, pageSize: style.pageSize, title: Words.bookTitle(language)) { b in
            pages = draw(handouts, book: true, on: b, outputRoot: outputRoot, style: style)
        }
        return pages
    }

    /// Paginates and draws `handouts` on `backend` (a PDF surface, or a `DisplayList` in tests).
    /// - Returns: the number of pages drawn.
    @discardableResult
    public static func draw(_ handouts: [Handout], book: Bool, on backend: any RenderBackend, outputRoot: URL,
                            style: HandoutStyle = .standard) -> Int {
        var images: [String: RasterImage?] = [:]
        let layout = HandoutLayout(style: style, measurer: backend.measurer) { path in
            if let cached = images[path] { return cached }
            let url = outputRoot.appendingPathComponent(path)
            let image = path.lowercased().hasSuffix(".png") ? (try? Bitmap.read(png: url))?.rasterImage : nil
            images[path] = image
            return image
        }
        let numbers = PageNumbers()
        var items: [LayoutItem] = []
        let language = handouts.first?.language ?? .zh
        if book {
            items += bookFront(handouts, layout: layout, numbers: numbers, language: language)
        }
        for (i, handout) in handouts.enumerated() {
            if book { items.append(.pageBreak) }
            items += layout.items(handout, anchorPrefix: book ? "lesson\(i)" : nil)
        }
        let paginator = Paginator(content: style.content, measurer: backend.measurer)
        let pagination = paginator.paginate(items)
        numbers.anchors = pagination.anchors
        // Which lesson each page belongs to, for the running header.
        let lessonStarts = handouts.indices.compactMap { i in pagination.anchors["lesson\(i)"].map { ($0, handouts[i].title) } }
        for (p, fragments) in pagination.pages.enumerated() {
            if p > 0 { backend.newPage() }
            let header = book ? (lessonStarts.last { $0.0 <= p }?.1 ?? Words.bookTitle(language)) : (handouts.first?.title ?? "")
            let isTitlePage = book && p == 0
            if !isTitlePage { decorate(page: p, of: pagination.pages.count, header: header, on: backend, style: style) }
            for f in fragments {
                backend.location = "page \(p + 1)"
                paginator.draw(f, of: items[f.item], on: backend)
            }
        }
        return pagination.pages.count
    }

    /// Running header (title, thin rule) and footer (page number).
    static func decorate(page: Int, of count: Int, header: String, on b: any RenderBackend, style: HandoutStyle) {
        let c = style.content
        let top = c.minY - 22
        b.drawText(TextBlock(plain: header, font: style.small, color: style.muted, width: c.width, alignment: .right),
                   at: Point(c.minX, top), angle: 0, lines: 0..<Int.max)
        b.line(Point(c.minX, top + 13), Point(c.maxX, top + 13), StrokeStyle(color: Color(hex: 0xCCCCCC), width: 0.5))
        b.drawText(TextBlock(plain: "\(page + 1) / \(count)", font: style.small, color: style.muted, width: c.width, alignment: .center),
                   at: Point(c.minX, c.maxY + 24), angle: 0, lines: 0..<Int.max)
    }

    /// Title page and table of contents of the book.
    static func bookFront(_ handouts: [Handout], layout: HandoutLayout, numbers: PageNumbers, language: Language) -> [LayoutItem] {
        let style = layout.style
        var items: [LayoutItem] = []
        let title = TextBlock(plain: Words.bookTitle(language), font: Font(.sans, size: 24, bold: true), color: style.ink,
                              width: style.content.width, alignment: .center)
        let subtitle = TextBlock(plain: Words.bookSubtitle(language), font: Font(.sans, size: 12), color: style.muted,
                                 width: style.content.width, alignment: .center)
        let count = TextBlock(plain: language == .zh ? "共 \(handouts.count) 课" : "\(handouts.count) lesson\(handouts.count == 1 ? "" : "s")",
                              font: Font(.sans, size: 11), color: style.muted, width: style.content.width, alignment: .center)
        let accent = style.accent
        items.append(.atomic(height: style.content.height * 0.5, spaceBefore: 0, spaceAfter: 0, keepWithNext: false) { r, b in
            let y = r.minY + r.height * 0.6
            b.place(title, at: Point(r.minX, y))
            b.fillRect(Rect(x: r.midX - 60, y: y + 40, width: 120, height: 1.5), accent)
            b.place(subtitle, at: Point(r.minX, y + 52))
            b.place(count, at: Point(r.minX, y + 74))
        })
        items.append(.pageBreak)
        items.append(.text(layout.text(Markup.escape(Words.contents(language)), style.heading(1)), indent: 0, box: nil,
                           spaceBefore: 0, spaceAfter: 12, keepWithNext: true))
        for (i, h) in handouts.enumerated() {
            items.append(tocRow(h.title, anchor: "lesson\(i)", level: 1, numbers: numbers, style: style))
            for (s, section) in h.sections.enumerated() {
                items.append(tocRow(section, anchor: "lesson\(i)#\(s)", level: 2, numbers: numbers, style: style))
            }
        }
        return items
    }

    static func tocRow(_ text: String, anchor: String, level: Int, numbers: PageNumbers, style: HandoutStyle) -> LayoutItem {
        let font = level == 1 ? Font(.sans, size: 11, bold: true) : Font(.sans, size: 10)
        let indent = level == 1 ? 0.0 : 18.0
        let label = TextBlock(plain: text, font: font, color: style.ink, width: style.content.width - indent - 40)
        let dots = StrokeStyle(color: Color(hex: 0xAAAAAA), width: 0.8, dash: [0.8, 3], roundCaps: true)
        let ink = style.ink
        return .atomic(height: font.size * 1.45, spaceBefore: level == 1 ? 6 : 0, spaceAfter: 0, keepWithNext: level == 1) { r, b in
            let m = b.measurer.measure(label)
            b.place(label, at: Point(r.minX + indent, r.minY))
            let number = TextBlock(plain: numbers.printed(anchor), font: font, color: ink, width: 40, alignment: .right)
            b.place(number, at: Point(r.maxX - 40, r.minY))
            let y = r.minY + m.baseline
            if r.minX + indent + m.width + 6 < r.maxX - 28 {
                b.line(Point(r.minX + indent + m.width + 6, y), Point(r.maxX - 28, y), dots)
            }
        }
    }
}
