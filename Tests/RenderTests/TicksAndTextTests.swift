import Testing
import Render

@Suite struct TickTests {
    @Test(arguments: [(0.93, 5, 0.2), (7.0, 5, 1.0), (23.0, 5, 5.0), (1.0e6, 5, 2.0e5), (0.031, 3, 0.01)])
    func niceStepIsOneTwoFive(span: Double, target: Int, expected: Double) {
        #expect(abs(Ticks.niceStep(span: span, target: target) - expected) < expected * 1e-9)
    }

    @Test func linearTicksSnapToSteps() {
        let t = Ticks.linear(0.03, 0.97)
        #expect(t.lo == 0 && abs(t.hi - 1) < 1e-12)
        #expect(t.ticks.count == 6)
        #expect(abs(t.ticks[3] - 0.6) < 1e-12)
    }

    @Test func zeroRangeAxisStillHasTicks() {
        let t = Ticks.linear(3, 3)
        #expect(t.lo < 3 && t.hi > 3 && t.ticks.count >= 3)
        let z = Ticks.linear(0, 0)
        #expect(z.lo == -1 && z.hi == 1)
        let nan = Ticks.linear(.nan, .infinity)
        #expect(nan.lo == 0 && nan.hi == 1)
    }

    @Test func logTicksAreDecades() {
        let t = Ticks.log(0.003, 42)
        #expect(t.ticks == [0.001, 0.01, 0.1, 1, 10, 100])
        let narrow = Ticks.log(1.5, 7)
        #expect(narrow.ticks == [1, 2, 5, 10])
        #expect(Ticks.log(-1, 0).ticks == [1, 2, 5, 10])  // non-positive data falls back, no crash
    }

    @Test func siLabels() {
        #expect(Ticks.label(25_000, step: 5_000) == "25K")
        #expect(Ticks.label(2_500_000) == "2.5M")
        #expect(Ticks.label(3e9, step: 1e9) == "3G")
        #expect(Ticks.label(0.25, step: 0.05) == "0.25")
        #expect(Ticks.label(-3, step: 1) == "−3")
        #expect(Ticks.label(1_000, step: 200) == "1000")
        #expect(Ticks.logLabel(1e-5) == "10<sup>−5</sup>")
    }
}

@Suite struct MarkdownTests {
    @Test func inlineStyles() {
        var md = InlineMarkdown()
        #expect(md.markup("a *b* **c** `d<e>`") == "a <i>b</i> <b>c</b> " + "<span font_family=\"DejaVu Sans Mono, Noto Sans Mono CJK SC\" foreground=\"#8A3B12\">d&lt;e&gt;</span>")
        #expect(md.markup("snake_case_name stays") == "snake_case_name stays")
        #expect(md.markup("H~2~O and x^2^") == "H<sub>2</sub>O and x<sup>2</sup>")
        #expect(md.markup("[site](https://x.org)") == "<span foreground=\"#0B5CAD\" underline=\"single\">site</span>")
    }

    @Test func inlineMath() {
        #expect(InlineMarkdown.math("a_{x,y}^i") == "<i>a</i><sub><i>x</i>,<i>y</i></sub><sup><i>i</i></sup>")
        #expect(InlineMarkdown.math("11 x 11 x 3") == "11 × 11 × 3")
        #expect(InlineMarkdown.math("\\alpha \\times 2") == "<i>α</i> × 2")
    }

    @Test func crossReferencesResolveOrAreReported() {
        var md = InlineMarkdown { $0 == "fig:loss" ? "Figure 3" : nil }
        #expect(md.markup("see @fig:loss, and @fig:none.") == "see Figure 3, and @fig:none.")
        #expect(md.unresolved == ["fig:none"])
        #expect(md.markup("mail a@b.org") == "mail a@b.org")
    }

    @Test func blocksAndLists() {
        let blocks = MarkdownBlocks.split("First line\ncontinues.\n\n- one\n- two\n  wraps\n1. first\n\nEnd.")
        #expect(blocks == [.paragraph("First line continues."), .item(marker: "•", text: "one", depth: 0),
                           .item(marker: "•", text: "two wraps", depth: 0), .item(marker: "1.", text: "first", depth: 0), .paragraph("End.")])
    }

    @Test func swiftHighlighting() {
        var h = SwiftHighlighter()
        let tokens = h.tokens("let x: Int = 42 // answer")
        #expect(tokens.first! == ("let", .keyword))
        #expect(tokens.contains { $0 == ("Int", .type) })
        #expect(tokens.contains { $0 == ("42", .number) })
        #expect(tokens.last! == ("// answer", .comment))
        #expect(h.tokens("/* open").last!.1 == .comment)
        #expect(h.tokens("still comment */ let").first!.1 == .comment)
    }

    @Test func longCodeLinesWrapWithContinuationMarks() {
        let line = "let value = someFunction(argumentOne: 1, argumentTwo: 2, argumentThree: 3)"  // 76 columns
        let lines = SwiftHighlighter.wrappedLines(line, columns: 30, highlight: false).map(Markup.plainText)
        #expect(lines.count >= 3)
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("↪ ") })
        #expect(lines.allSatisfy { $0.count <= 30 })
        #expect(lines.joined().replacingOccurrences(of: "↪ ", with: "") == line)
    }
}

@Suite struct ScriptSizeTests {
    @Test("a superscript or subscript is narrower than the same digit at the text's size, at every size")
    func scriptsAreSmallerThanTheirText() {
        let m = PangoMeasurer()
        for size in [6.0, 8.0, 11.0, 20.0] {
            let font = Font(.sans, size: size)
            let plain = m.measure(TextBlock(markup: "C2", font: font, color: .black)).width
            let sup = m.measure(TextBlock(markup: "C<sup>2</sup>", font: font, color: .black)).width
            let sub = m.measure(TextBlock(markup: "C<sub>2</sub>", font: font, color: .black)).width
            let base = m.measure(TextBlock(markup: "C", font: font, color: .black)).width
            #expect(sup < plain && sup > base, "size \(size): C² \(sup), C2 \(plain), C \(base)")
            #expect(sub < plain && sub > base, "size \(size): C₂ \(sub), C2 \(plain), C \(base)")
        }
    }
}
