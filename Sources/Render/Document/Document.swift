import Foundation

/// A paged document (A4 PDF handouts): a title block, optional table of contents, and blocks.
///
///     var doc = Document(title: "L03 · LeNet-5", language: .en)
///     doc.append(.heading("Shapes"))
///     doc.append(.paragraph("Padding 2 keeps *28×28*; see @fig:lenet."))
///     doc.append(.figure(Figure(LayerStackDiagram(layers: …), caption: "LeNet-5", label: "fig:lenet")))
///     try doc.write(to: URL(fileURLWithPath: "Output/handouts/L03.pdf"))
public struct Document: Sendable {
    /// The language of generated words ("Figure"/"图", "Contents"/"目录", page labels).
    public enum Language: Sendable { case en, zh }

    public var title: String
    public var subtitle: String?
    public var author: String?
    public var date: String?
    public var language: Language
    public var tableOfContents: Bool
    /// Running header text (defaults to the title) and an optional footer line.
    public var header: String?
    public var footer: String?
    public var blocks: [Block]
    public var pageSize: Size
    public var margins: (top: Double, left: Double, bottom: Double, right: Double)
    public var style: DocumentStyle

    public init(title: String, subtitle: String? = nil, author: String? = nil, date: String? = nil,
                language: Language = .en, tableOfContents: Bool = false, header: String? = nil, footer: String? = nil,
                blocks: [Block] = [], pageSize: Size = .a4) {
        self.title = title; self.subtitle = subtitle; self.author = author; self.date = date; self.language = language
        self.tableOfContents = tableOfContents; self.header = header; self.footer = footer; self.blocks = blocks
        self.pageSize = pageSize; self.margins = (64, 64, 64, 64); self.style = DocumentStyle()
    }

    public mutating func append(_ block: Block) { blocks.append(block) }
    public mutating func append(contentsOf b: [Block]) { blocks.append(contentsOf: b) }

    /// Lays the document out and writes it. PDF holds every page; PNG and SVG write one file per
    /// page, named `stem-1.png`, `stem-2.png`, … (returned in order).
    @discardableResult
    public func write(to url: URL, format: OutputFormat? = nil) throws -> [URL] {
        guard let format = format ?? OutputFormat(url: url) else {
            throw RenderError.io(url.path, "unknown extension '.\(url.pathExtension)' (use .pdf, .png or .svg)")
        }
        let layout = try self.layout(measurer: PangoMeasurer())
        if format == .pdf {
            try Surface.write(to: url, format: .pdf, pageSize: pageSize, title: title) { b in layout.draw(on: b) }
            return [url]
        }
        let stem = url.deletingPathExtension().lastPathComponent
        return try layout.pages.indices.map { i in
            let pageURL = url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(i + 1).\(format.rawValue)")
            try Surface.write(to: pageURL, format: format, pageSize: pageSize) { b in layout.draw(page: i, on: b) }
            return pageURL
        }
    }

    /// Paginates with `measurer` (use `FixedAdvanceMeasurer` in tests). Throws on unknown cross-references.
    public func layout(measurer: any TextMeasurer) throws -> DocumentLayout {
        let engine = LayoutEngine(document: self, measurer: measurer)
        let result = engine.run()
        if let e = engine.errors.first { throw e }
        if let (label, where_) = engine.unresolved.first {
            throw RenderError(kind: .unknownReference(label: label, location: where_))
        }
        return result
    }

    /// Draws the laid-out document onto any backend (e.g. a `DisplayList`).
    public func render(on backend: any RenderBackend) throws {
        try layout(measurer: backend.measurer).draw(on: backend)
    }
}

/// One block of a document.
public enum Block: Sendable {
    /// A numbered heading (level 1…3); `label` makes it a cross-reference target ("@sec:intro").
    case heading(String, level: Int = 1, label: String? = nil)
    /// Markdown-subset text: paragraphs, lists, emphasis, code spans, links, math, cross-references.
    case paragraph(String)
    /// A code listing, highlighted and wrapped at the text width.
    case code(String, language: CodeLanguage = .swift)
    case table(Table)
    case figure(Figure)
    /// A boxed note or exercise with Markdown content.
    case callout(CalloutKind, String)
    case pageBreak
}

public enum CodeLanguage: Sendable { case swift, plain }

public enum CalloutKind: Sendable { case note, exercise, warning }

/// A table: header row, body rows (Markdown inline cells), column alignment, optional caption.
/// Long tables break across pages and repeat the header.
public struct Table: Sendable {
    public var header: [String]
    public var rows: [[String]]
    public var alignment: [TextAlignment]
    public var caption: String?
    public var label: String?
    public init(header: [String], rows: [[String]], alignment: [TextAlignment] = [], caption: String? = nil, label: String? = nil) {
        for (i, r) in rows.enumerated() {
            precondition(r.count == header.count, "Table: row \(i) has \(r.count) cells, header has \(header.count)")
        }
        self.header = header; self.rows = rows
        self.alignment = header.indices.map { $0 < alignment.count ? alignment[$0] : .left }
        self.caption = caption; self.label = label
    }
}

/// A figure: a chart or diagram (vector) or an image file (PNG), with a numbered caption.
public struct Figure: Sendable {
    public enum Content: Sendable {
        case graphic(any Graphic)
        /// A PNG file, placed at its aspect ratio.
        case imageFile(URL)
    }
    public var content: Content
    public var caption: String
    public var label: String?
    /// Width as a fraction of the text width.
    public var widthFraction: Double
    public init(_ graphic: any Graphic, caption: String, label: String? = nil, width: Double = 0.8) {
        content = .graphic(graphic); self.caption = caption; self.label = label; widthFraction = width
    }
    public init(imageFile: URL, caption: String, label: String? = nil, width: Double = 0.8) {
        content = .imageFile(imageFile); self.caption = caption; self.label = label; widthFraction = width
    }
}

/// Type sizes and colours of documents.
public struct DocumentStyle: Sendable {
    public var body = Font(.serif, size: 10.5)
    public var bodyLeading = 0.45
    public var heading1 = Font(.sans, size: 15, bold: true)
    public var heading2 = Font(.sans, size: 12.5, bold: true)
    public var heading3 = Font(.sans, size: 11, bold: true)
    public var code = Font(.mono, size: 8.5)
    public var caption = Font(.sans, size: 9)
    public var table = Font(.sans, size: 9)
    public var small = Font(.sans, size: 8)
    public var accent = Color(hex: 0x0072B2)
    public var ink = Color(hex: 0x1A1A1A)
    public var muted = Color(hex: 0x666666)
    public var paragraphSpacing = 7.0
    public init() {}
}

extension Document.Language {
    func figure(_ n: Int) -> String { self == .zh ? "图 \(n)" : "Figure \(n)" }
    func table(_ n: Int) -> String { self == .zh ? "表 \(n)" : "Table \(n)" }
    func section(_ n: String) -> String { self == .zh ? "第 \(n) 节" : "Section \(n)" }
    var contents: String { self == .zh ? "目录" : "Contents" }
    var continued: String { self == .zh ? "（续）" : " (continued)" }
    func callout(_ k: CalloutKind) -> String {
        switch (k, self) {
        case (.note, .en): "Note"
        case (.note, .zh): "注意"
        case (.exercise, .en): "Exercise"
        case (.exercise, .zh): "练习"
        case (.warning, .en): "Warning"
        case (.warning, .zh): "警告"
        }
    }
    func page(_ n: Int, of total: Int) -> String { self == .zh ? "第 \(n) 页 / 共 \(total) 页" : "\(n) / \(total)" }
    var captionSeparator: String { self == .zh ? "　" : ". " }
}
