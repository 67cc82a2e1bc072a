import Notebook
import Testing

@Suite("Lesson source splitter")
struct LessonSplitterTests {
    static let lesson = """
    //: # L01 · 局部响应归一化
    //:en # L01 · Local response normalization
    //:
    //: LRN 按通道归一化。
    //:en
    //:en LRN normalizes across channels.
    import Notebook

    //- hide
    let nb = Notebook("l01-lrn")
    //- fold Helper: the formula
    func lrn(_ a: Double) -> Double { a / 2 }

    //: 只有中文的一段。
    let b = lrn(1)
    nb.show("b", b)
    //> b: 0.5000

    //:en English only.
    //: $b = a / 2$
    nb.finish()
    """

    @Test func blocksInOrderWithLineRanges() throws {
        let source = try LessonSource(text: Self.lesson)
        let kinds = source.blocks.map { b -> String in
            switch b { case .prose: "prose"; case .code: "code"; case .output: "output" }
        }
        #expect(kinds == ["prose", "code", "code", "code", "prose", "code", "output", "prose", "code"])
        #expect(source.blocks.map(\.lines) == [1...6, 7...7, 9...10, 11...12, 14...14, 15...16, 17...17, 19...20, 21...21])
    }

    @Test func bilingualPairing() throws {
        let source = try LessonSource(text: Self.lesson)
        guard case let .prose(first) = source.blocks[0], case let .prose(second) = source.blocks[4],
              case let .prose(third) = source.blocks[7] else { Issue.record("expected prose blocks"); return }
        // zh run (lines 1) + en run (line 2) pair; the second zh run (3-4) pairs with en (5-6).
        #expect(first.paragraphs.count == 2)
        #expect(first.paragraphs[0] == ProseParagraph(zh: "# L01 · 局部响应归一化", en: "# L01 · Local response normalization", lines: 1...2))
        #expect(first.paragraphs[1].zh == "\nLRN 按通道归一化。")
        #expect(first.paragraphs[1].en == "\nLRN normalizes across channels.")
        #expect(first.text(for: .en) == "# L01 · Local response normalization\n\n\nLRN normalizes across channels.")
        // A paragraph in one language only is shown in both handouts and reported as untranslated.
        #expect(second.text(for: .zh) == "只有中文的一段。")
        #expect(second.text(for: .en) == "只有中文的一段。")
        #expect(second.untranslated.count == 1)
        // en then zh also pairs.
        #expect(third.paragraphs == [ProseParagraph(zh: "$b = a / 2$", en: "English only.", lines: 19...20)])
    }

    @Test func codeVisibilityAndOutputs() throws {
        let source = try LessonSource(text: Self.lesson)
        guard case let .code(imports) = source.blocks[1], case let .code(hidden) = source.blocks[2],
              case let .code(folded) = source.blocks[3], case let .code(shown) = source.blocks[5],
              case let .output(output) = source.blocks[6] else { Issue.record("unexpected blocks"); return }
        #expect(imports == CodeBlock(text: "import Notebook", visibility: .shown, lines: 7...7))
        #expect(hidden.visibility == .hidden && hidden.text == "let nb = Notebook(\"l01-lrn\")")
        #expect(folded.visibility == .folded(title: "Helper: the formula"))
        #expect(shown.text == "let b = lrn(1)\nnb.show(\"b\", b)")
        #expect(output.text == ["b: 0.5000"] && output.codeBlockIndex == 5)
        #expect(source.codeBlockIndex(containing: 16) == 5)
        #expect(source.codeBlockIndex(containing: 14) == nil)
    }

    @Test func markerCornersAndErrors() throws {
        let source = try LessonSource(text: "//:english is Chinese prose\n  //:en indented English\nx()\n//>\n//> two")
        guard case let .prose(p) = source.blocks[0], case let .output(o) = source.blocks[2] else { Issue.record("blocks"); return }
        #expect(p.paragraphs == [ProseParagraph(zh: "english is Chinese prose", en: "indented English", lines: 1...2)])
        #expect(o.text == ["", "two"])
        #expect(throws: NotebookError.badSource(file: "main.swift", line: 2,
                                                reason: "unknown directive '//- hidden' (expected hide, fold [title] or show)")) {
            try LessonSource(text: "x()\n//- hidden\ny()")
        }
    }
}
