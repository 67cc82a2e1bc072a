import Foundation
import Testing
import Render

/// Pagination on the recording backend with fixed-advance text (deterministic, no fonts).
@Suite struct DocumentLayoutTests {
    let measurer = FixedAdvanceMeasurer()
    /// Items in reading order with their page index.
    func items(_ l: DocumentLayout) -> [(page: Int, item: DocumentLayout.Item)] {
        l.pages.enumerated().flatMap { p, page in page.items.map { (p, $0) } }
    }
    func words(_ n: Int, seed: Int) -> String {
        (0..<n).map { "w\(($0 * 7 + seed) % 97)" }.joined(separator: " ")
    }

    @Test func longParagraphBreaksAcrossPagesWithoutLosingLines() throws {
        let doc = Document(title: "Breaks", blocks: [.paragraph(words(2500, seed: 1))])
        let list = DisplayList(measurer: measurer)
        try doc.render(on: list)
        let ranges = list.commands.compactMap { c -> Range<Int>? in
            if case let .text(s, _, _, lines) = c, s.hasPrefix("w"), let lines { return lines }
            return nil
        }
        #expect(ranges.count >= 3)
        // Consecutive fragments continue exactly where the previous one stopped.
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        #expect(ranges.first!.lowerBound == 0)
        let total = measurer.measure(TextBlock(markup: words(2500, seed: 1), font: doc.style.body, width: Size.a4.width - 128, lineSpacing: doc.style.bodyLeading)).lines.count
        #expect(ranges.last!.upperBound == total)
        let layout = try doc.layout(measurer: measurer)
        for page in layout.pages { for item in page.items { #expect(item.rect.maxY <= Size.a4.height - 64 + 0.01) } }
    }

    @Test(arguments: [3, 11, 17, 29])
    func headingsStayWithTheNextBlock(seed: Int) throws {
        var doc = Document(title: "Keep with next")
        for i in 0..<24 {
            doc.append(.heading("Section \(i)", level: 1 + i % 2))
            doc.append(.paragraph(words(40 + (i * seed) % 230, seed: i)))
        }
        let l = try doc.layout(measurer: measurer)
        let all = items(l)
        #expect(l.pages.count > 3)
        for (k, entry) in all.enumerated() where entry.item.kind == .heading {
            #expect(k + 1 < all.count && all[k + 1].page == entry.page, "heading '\(entry.item.text)' is separated from its paragraph")
        }
        for page in l.pages { #expect(page.items.last?.kind != .heading) }
    }

    @Test func captionsStayWithTheirFigures() throws {
        var doc = Document(title: "Figures")
        for i in 0..<9 {
            doc.append(.paragraph(words(60 + 45 * i, seed: i)))
            doc.append(.figure(Figure(LineChart(series: [.init("s", y: [1, 2, 3])]), caption: "Curve \(i)", label: "fig:\(i)")))
        }
        let all = items(try doc.layout(measurer: measurer))
        let figures = all.filter { $0.item.kind == .figure }
        let captions = all.filter { $0.item.kind == .caption }
        #expect(figures.count == 9 && captions.count == 9)
        for (f, c) in zip(figures, captions) {
            #expect(f.page == c.page)
            #expect(c.item.rect.minY >= f.item.rect.maxY)
            #expect(c.item.text.hasPrefix("Figure ") && c.item.text.hasSuffix(f.item.text.components(separatedBy: ". ").last!))
        }
        // Numbering follows document order.
        #expect(captions.map { $0.item.text } == (1...9).map { "Figure \($0). Curve \($0 - 1)" })
    }

    @Test func longTableRepeatsItsHeaderOnEveryPage() throws {
        let rows = (0..<150).map { ["row \($0)", "\($0 * $0)", "value"] }
        let doc = Document(title: "Table", blocks: [
            .paragraph("Intro."),
            .table(Table(header: ["Name", "Square", "Note"], rows: rows, alignment: [.left, .right, .left], caption: "Squares", label: "tab:sq")),
        ])
        let l = try doc.layout(measurer: measurer)
        let all = items(l)
        let pagesWithRows = Set(all.filter { $0.item.kind == .tableRow }.map(\.page))
        #expect(pagesWithRows.count >= 3)
        for p in pagesWithRows {
            let header = all.first { $0.page == p && $0.item.kind == .tableHeader }
            #expect(header?.item.text == "Name | Square | Note")
            let firstRow = all.first { $0.page == p && $0.item.kind == .tableRow }!
            #expect(header!.item.rect.maxY <= firstRow.item.rect.minY + 1e-9)
        }
        #expect(all.filter { $0.item.kind == .tableRow }.map(\.item.text) == rows.map { $0.joined(separator: " | ") })
        let captions = all.filter { $0.item.kind == .tableCaption }.map(\.item.text)
        #expect(captions.first == "Table 1. Squares")
        #expect(captions.dropFirst().allSatisfy { $0 == "Table 1 (continued)" })
    }

    @Test func tableOfContentsShowsThePagesWhereHeadingsLand() throws {
        var doc = Document(title: "TOC", tableOfContents: true)
        for i in 1...6 {
            doc.append(.heading("Part \(i)"))
            doc.append(.paragraph(words(300 * i, seed: i)))
            if i == 3 { doc.append(.pageBreak) }
            doc.append(.heading("Detail \(i)", level: 2))
            doc.append(.paragraph(words(90, seed: i + 1)))
        }
        let list = DisplayList(measurer: measurer)
        try doc.render(on: list)
        let texts = list.texts
        var checked = 0
        for i in 1...6 {
            for (title, number, size) in [("Part \(i)", "\(i)", doc.style.heading1.size), ("Detail \(i)", "\(i).1", doc.style.heading2.size)] {
                let label = "\(number)  \(title)"
                // Where the heading is drawn (heading font), found from the drawing commands alone.
                guard let drawn = texts.first(where: { $0.text == label && $0.font.size == size }) else { Issue.record("\(label) not drawn"); continue }
                // The contents entry on page 1, followed by its page number.
                guard let k = texts.firstIndex(where: { $0.text == label && $0.page == 0 && $0.font.size != size }) else { Issue.record("\(label) not in contents"); continue }
                #expect(texts[k + 1].text == "\(drawn.page + 1)", "\(label): contents says \(texts[k + 1].text), heading is on page \(drawn.page + 1)")
                checked += 1
            }
        }
        #expect(checked == 12)
        #expect(Set(texts.filter { $0.text.contains("  Part ") && $0.font.size == doc.style.heading1.size }.map(\.page)).count > 3)
    }

    @Test func unknownCrossReferenceIsAnError() {
        let doc = Document(title: "Refs", blocks: [.paragraph("See @fig:missing.")])
        #expect(throws: RenderError.self) { try doc.layout(measurer: measurer) }
        do { _ = try doc.layout(measurer: measurer) } catch { #expect("\(error)".contains("@fig:missing")) }
    }

    @Test func crossReferencesUseNumbers() throws {
        let doc = Document(title: "Refs", language: .zh, blocks: [
            .heading("引言", label: "sec:intro"),
            .paragraph("见 @fig:a 和 @tab:t，以及 @sec:intro。"),
            .figure(Figure(BarChart(categories: ["a"], series: [.init("v", [1])]), caption: "柱状图", label: "fig:a")),
            .table(Table(header: ["x"], rows: [["1"]], caption: "表格", label: "tab:t")),
        ])
        let all = items(try doc.layout(measurer: measurer))
        #expect(all.contains { $0.item.kind == .paragraph && $0.item.text == "见 图 1 和 表 1，以及 第 1 节。" })
        #expect(all.contains { $0.item.kind == .caption && $0.item.text == "图 1　柱状图" })
    }
}
