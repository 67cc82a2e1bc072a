import Foundation
import Notebook
import Testing
import Weave

/// A transcript with outputs at given (file, line) call sites, as a run of `source` would record them.
func syntheticTranscript(_ outputs: [(String, Int, OutputContent)], cells: [CellRecord] = []) -> Transcript {
    Transcript(lesson: "t01-demo", mode: .quick, seed: 7, language: .zh, startedAt: Date(timeIntervalSince1970: 1_700_000_000),
               seconds: 0.1, sources: [],
               outputs: outputs.enumerated().map { i, o in
                   RecordedOutput(index: i, location: SourceLocation(fileID: "t01_demo/\(o.0)", line: o.1), cell: nil, content: o.2)
               },
               cells: cells, cache: [], problems: [])
}

/// Short names of woven elements, so an expected order reads like the handout.
func sketch(_ elements: [HandoutElement]) -> [String] {
    elements.map { e in
        switch e {
        case let .heading(level, _, plain): "h\(level) \(plain)"
        case let .paragraph(markup): "p \(markup)"
        case let .listItem(marker, markup): "li \(marker) \(markup)"
        case .formula: "formula"
        case let .code(text, lines): "code \(lines.lowerBound)-\(lines.upperBound) \(text.split(separator: "\n").first ?? "")"
        case let .folded(title, _): "folded \(title)"
        case let .output(lines, _): "out " + lines.joined(separator: " | ")
        case let .table(_, number, _): "table \(number)"
        case let .figure(f, number, file, _): "figure \(number) \(f.name) \(file)"
        case let .note(markup, _): "note \(markup)"
        case let .exercise(markup, grader, _): "exercise \(markup) [\(grader ?? "-")]"
        }
    }
}

@Suite("Weaving: prose, code and outputs in reading order")
struct WeavePlacementTests {
    // Line numbers matter: outputs are placed by the line of their call.
    let text = """
    //: # 演示
    //:en # Demo
    import Foundation
    //: 第一段。
    //:en First paragraph.
    let x = 1
    print(x)
    //> x: 1
    //- hide
    let secret = 2     // line 10
    //: ## 第二节
    //:en ## Section two
    //- fold Helper
    func helper() {}   // line 14
    let y = 3          // line 15
    //: - 要点 *一*
    //:en - point *one*
    //: $$a^2$$
    """

    @Test("each output sits right under the code block that produced it, in both languages")
    func placement() throws {
        let source = try LessonSource(text: text)
        let transcript = syntheticTranscript([
            ("main.swift", 6, .value(label: "x", text: "1")),
            ("main.swift", 7, .value(label: "x again", text: "1")),
            ("main.swift", 10, .value(label: "secret", text: "2")),
            ("main.swift", 15, .figure(FigureRecord(name: "f.pdf", caption: Bilingual(zh: "图注", en: "caption"), path: "t01-demo/f.pdf",
                                                    alternates: ["t01-demo/f.png", "t01-demo/f.svg"], exists: true))),
            ("main.swift", 15, .note(Bilingual(zh: "注意", en: "mind"))),
            ("main.swift", 14, .exercise(ExerciseRecord(prompt: Bilingual(zh: "做", en: "do"), grader: "code-x"))),
            ("helper.swift", 3, .value(label: "stray", text: "9")),
        ])
        let zh = Weaver.weave(source: source, transcript: transcript, language: .zh, gitCommit: "abc1234")
        #expect(zh.title == "演示")
        #expect(sketch(zh.elements) == [
            "code 3-3 import Foundation",
            "p 第一段。",
            "code 6-7 let x = 1",
            "out x: 1 | x again: 1",
            // the hidden block's code is gone, its output stays
            "out secret: 2",
            "h2 第二节",
            "folded Helper",
            "figure 1 f.pdf t01-demo/f.png",
            "note 注意",
            "exercise 做 [code-x]",
            "li • 要点 <i>一</i>",
            "formula",
            "h3 其他输出",
            "out stray: 9",
        ])
        let en = Weaver.weave(source: source, transcript: transcript, language: .en, gitCommit: nil)
        #expect(en.title == "Demo")
        #expect(Array(sketch(en.elements).prefix(3)) == ["code 3-3 import Foundation", "p First paragraph.", "code 6-7 let x = 1"])
        #expect(sketch(en.elements).contains("h2 Section two"))
        #expect(sketch(en.elements).contains("note mind"))
        #expect(en.sections == ["Section two"])
    }

    @Test("an output recorded in a helper file goes under the code block of its enclosing cell")
    func helperOutputFollowsCell() throws {
        let source = try LessonSource(text: text)
        let cell = CellRecord(name: "c", location: SourceLocation(fileID: "t01_demo/main.swift", line: 15), firstOutput: 0, endOutput: 1, seconds: 0)
        let transcript = syntheticTranscript([("helper.swift", 40, .value(label: "inner", text: "5"))], cells: [cell])
        let woven = sketch(Weaver.weave(source: source, transcript: transcript, language: .zh, gitCommit: nil).elements)
        #expect(woven == ["code 3-3 import Foundation", "p 第一段。", "code 6-7 let x = 1", "h2 第二节", "folded Helper", "out inner: 5", "li • 要点 <i>一</i>", "formula"])
    }

    @Test("figures and tables are numbered in order of appearance")
    func numbering() throws {
        let source = try LessonSource(text: "let a = 1\nlet b = 2\n//: text\nlet c = 3")
        func fig(_ n: String) -> OutputContent {
            .figure(FigureRecord(name: n, caption: "c", path: "t/\(n)", alternates: [], exists: true))
        }
        let table = OutputContent.table(TableRecord(header: ["k"], rows: [["1"]], caption: nil))
        let t = syntheticTranscript([("main.swift", 1, fig("a.png")), ("main.swift", 2, table), ("main.swift", 4, fig("b.svg")),
                                     ("main.swift", 4, table)])
        #expect(sketch(Weaver.weave(source: source, transcript: t, language: .en, gitCommit: nil).elements)
                == ["code 1-2 let a = 1", "figure 1 a.png t/a.png", "table 1", "p text", "code 4-4 let c = 3", "figure 2 b.svg t/b.svg", "table 2"])
    }

    @Test("the provenance footer names lesson, commit, seed, mode, date and cache keys")
    func provenance() {
        let p = Provenance(lesson: "l01-lrn", gitCommit: "abc1234", mode: .full, seed: 3, runDate: Date(timeIntervalSince1970: 0),
                           cacheKeys: [("batch", "0123456789ab", .hit)])
        #expect(p.lines(for: .en) == ["Lesson l01-lrn · commit abc1234 · seed 3 · mode full · run 1970-01-01 00:00:00 UTC",
                                      "cache keys: batch 0123456789ab (hit)"])
        #expect(p.lines(for: .zh)[0] == "课程 l01-lrn · commit abc1234 · 种子 3 · 模式 full · 运行于 1970-01-01 00:00:00 UTC")
    }
}

@Suite("Markdown subset and TeX formulas")
struct MarkdownTests {
    @Test func blocks() {
        let blocks = Markdown.parse("## Title *x*\nline one\nline two\n\n- a\n  more\n1. b\n$$x_i$$\n\nlast `c<d>`")
        #expect(blocks == [
            .heading(level: 2, markup: "Title <i>x</i>", plain: "Title x"),
            .paragraph(markup: "line one line two"),
            .listItem(marker: "•", markup: "a more"),
            .listItem(marker: "1.", markup: "b"),
            .formula(markup: TeXMath.markup("x_i")),
            .paragraph(markup: "last <tt>c&lt;d&gt;</tt>"),
        ])
    }

    @Test func texToPango() {
        let serif = "<span font_family=\"DejaVu Serif, Noto Serif CJK SC\">"
        #expect(TeXMath.markup("b_{x,y}^i") == serif + "<i>b</i><sub><i>x</i>,<i>y</i></sub><sup><i>i</i></sup></span>")
        #expect(TeXMath.markup("\\alpha \\sum_j a^2") == serif + "αΣ<sub><i>j</i></sub><i>a</i><sup>2</sup></span>")
        #expect(TeXMath.markup("\\frac{1}{2} = 0.5") == serif + "1/2 = 0.5</span>")
        #expect(TeXMath.markup("\\unknown") == serif + "\\unknown</span>")
        // Arrows, spacing and accents of the update rules: ŷ ← y, then a wide gap.
        #expect(TeXMath.markup("\\hat{y} \\leftarrow y \\qquad \\bar x") == serif + "<i>y\u{0302}</i>←<i>y</i>    <i>x\u{0304}</i></span>")
    }
}
