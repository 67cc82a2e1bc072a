import Foundation
import Notebook
import Render
import Testing
import Weave

func handout(_ elements: [HandoutElement], title: String = "T", language: Language = .en, problems: [String] = []) -> Handout {
    Handout(lesson: "t01-demo", language: language, title: title, elements: elements,
            provenance: Provenance(lesson: "t01-demo", gitCommit: "abc1234", mode: .quick, seed: 0, runDate: Date(timeIntervalSince1970: 0),
                                   cacheKeys: []),
            problems: problems)
}

@Suite("Handout pages: splitting, ordering, table of contents, atomic files")
struct HandoutPagingTests {
    let nowhere = URL(fileURLWithPath: "/nonexistent-output-root")

    @Test("a code listing longer than a page is split at line boundaries and no line is lost")
    func longListingSplits() {
        let code = (1...150).map { "let v\($0) = \($0)" }.joined(separator: "\n")
        let list = DisplayList()
        let pages = HandoutDocument.draw([handout([.paragraph(markup: "before"), .code(text: code, lines: 1...150),
                                                   .paragraph(markup: "after")])], book: false, on: list, outputRoot: nowhere)
        #expect(pages >= 2)
        #expect(list.commands.filter { $0 == .newPage }.count == pages - 1)
        // The listing's fragments: consecutive line ranges that together cover all 150 lines.
        let ranges = list.commands.compactMap { c -> Range<Int>? in
            if case let .text(s, _, _, lines) = c, s.hasPrefix("let v1 ") { lines } else { nil }
        }
        #expect(ranges.count == pages)
        #expect(ranges.first?.lowerBound == 0)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.last?.upperBound == 150)
        // Reading order survives: "before" on the first page, "after" on the last.
        let texts = list.texts
        #expect(texts.first { $0.text == "before" }?.page == 0)
        #expect(texts.first { $0.text == "after" }?.page == pages - 1)
        // Everything stays inside the page.
        let a4 = HandoutStyle.standard.pageSize
        #expect(texts.allSatisfy { $0.origin.y >= 0 && $0.origin.y < a4.height })
    }

    @Test("a table wider than the page wraps its text columns and never squeezes a number below its width")
    func wideTableKeepsNumbersWhole() {
        let words = "a long description of the variant that has to wrap over several lines in its column"
        let rows = (0..<3).map { i in ["model \(i)", words] + (0..<7).map { "\(61_100_840 + $0 * 1_000_003 + i)" } }
        let table = TableRecord(header: ["model", "variant"] + (1...7).map { "n\($0)" }, rows: rows, caption: nil)
        let list = DisplayList()
        _ = HandoutDocument.draw([handout([.table(table, number: 1, output: 0)])], book: false, on: list, outputRoot: nowhere)
        let measurer = FixedAdvanceMeasurer()
        let texts = list.texts
        for row in rows {
            // The cells of one row, left to right: each numeric cell's box (up to the next cell's
            // origin, less the padding on both sides) holds the whole number.
            let cells = row.compactMap { cell in texts.first { $0.text == cell } }
            #expect(cells.count == row.count)
            for c in 2..<(cells.count - 1) {
                let box = cells[c + 1].origin.x - cells[c].origin.x - 12
                let needed = measurer.measure(TextBlock(plain: row[c], font: cells[c].font)).width
                #expect(box >= needed - 1e-9, "\(row[c]): box \(box) < \(needed)")
            }
        }
        // The table still fits the page.
        #expect(texts.allSatisfy { $0.origin.x < HandoutStyle.standard.pageSize.width })
    }

    @Test("a heading is never left alone at the bottom of a page")
    func headingKeepsWithNext() {
        // Some filler length puts the heading at the very bottom of page 1; try them all.
        for count in 24...40 {
            let filler = (0..<count).map { _ in HandoutElement.paragraph(markup: "filler line") }
            let list = DisplayList()
            _ = HandoutDocument.draw([handout(filler + [.heading(level: 2, markup: "Next", plain: "Next"),
                                                        .paragraph(markup: "body of the section")])],
                                     book: false, on: list, outputRoot: nowhere)
            let texts = list.texts
            let heading = texts.first { $0.text == "Next" }, body = texts.first { $0.text == "body of the section" }
            #expect(heading != nil && heading?.page == body?.page, "filler \(count)")
        }
    }

    @Test("the book lists every lesson and section with the page it starts on")
    func bookContents() {
        let a = handout([.heading(level: 2, markup: "A-one", plain: "A-one"), .paragraph(markup: "x")], title: "Lesson A")
        let longB = (0..<60).map { _ in HandoutElement.paragraph(markup: "filler") }
        let b = handout(longB + [.heading(level: 2, markup: "B-late", plain: "B-late")], title: "Lesson B")
        let list = DisplayList()
        let pages = HandoutDocument.draw([a, b], book: true, on: list, outputRoot: nowhere)
        let texts = list.texts
        func pageOf(_ s: String, after tocPage: Int) -> Int? { texts.first { $0.text == s && $0.page > tocPage }?.page }
        // Title page 1, contents page 2, lesson A from page 3.
        #expect(pageOf("Lesson A", after: 1) == 2)
        let bStart = pageOf("Lesson B", after: 1)!, bLate = pageOf("B-late", after: 1)!
        #expect(bLate > bStart)
        // The contents page prints those page numbers (1-based) right of the entries.
        let contents = texts.filter { $0.page == 1 }.map(\.text)
        #expect(contents.contains("Contents"))
        #expect(contents.contains(String(bStart + 1)))
        #expect(contents.contains(String(bLate + 1)))
        #expect(contents.contains("3"))
        #expect(pages == bLate + 1)
    }

    @Test("a failed render leaves the previous handout untouched and no temporary file behind")
    func atomicHandout() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("weave-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t01-demo.en.pdf")
        try HandoutDocument.write(handout([.paragraph(markup: "first version")]), to: url, outputRoot: dir)
        let good = try Data(contentsOf: url)
        #expect(good.starts(with: Array("%PDF".utf8)))
        // A character no installed font covers (a private-use code point) makes Render fail the page.
        #expect(throws: RenderError.self) {
            try HandoutDocument.write(handout([.paragraph(markup: "broken \u{F8FF}\u{E000}")]), to: url, outputRoot: dir)
        }
        #expect(try Data(contentsOf: url) == good)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["t01-demo.en.pdf"])
    }

    @Test("a missing figure is drawn as a marked placeholder with its caption, never silently dropped")
    func missingFigure() {
        let f = FigureRecord(name: "gone.png", caption: Bilingual(zh: "丢失", en: "lost"), path: "t/gone.png", alternates: [], exists: false)
        let list = DisplayList()
        _ = HandoutDocument.draw([handout([.figure(f, number: 1, file: "t/gone.png", output: 0)])], book: false, on: list, outputRoot: nowhere)
        let texts = list.texts.map(\.text)
        #expect(texts.contains("[figure file missing: t/gone.png]"))
        #expect(texts.contains("Figure 1: lost"))
    }
}
