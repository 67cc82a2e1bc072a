import Foundation
import Notebook
import Testing

@Suite("Notebook runtime")
struct RuntimeTests {
    @Test func optionsFromArgumentsOverEnvironment() throws {
        let env = ["COURSE_MODE": "quick", "COURSE_SEED": "3", "COURSE_OUTPUT": "/tmp/out", "COURSE_LANG": "en"]
        let fromEnv = try RunOptions.parse(arguments: [], environment: env)
        #expect(fromEnv.mode == .quick && fromEnv.seed == 3 && fromEnv.language == .en && !fromEnv.force)
        #expect(fromEnv.outputDirectory?.path == "/tmp/out")
        let flags = try RunOptions.parse(arguments: ["--full", "--force", "--seed", "42", "--lang=zh", "--epochs", "5"], environment: env)
        #expect(flags.mode == .full && flags.force && flags.seed == 42 && flags.language == .zh)
        #expect(flags.remainingArguments == ["--epochs", "5"])
        #expect(throws: NotebookError.badArgument(name: "--seed", value: "x", expected: "a non-negative integer")) {
            try RunOptions.parse(arguments: ["--seed", "x"], environment: [:])
        }
        #expect(throws: NotebookError.badArgument(name: "COURSE_MODE", value: "fast", expected: "quick, full or paper")) {
            try RunOptions.parse(arguments: [], environment: ["COURSE_MODE": "fast"])
        }
        #expect(throws: NotebookError.self) { try RunOptions.parse(arguments: ["--seed"], environment: [:]) }
        let paper = try RunOptions.parse(arguments: ["--paper"], environment: env)
        #expect(paper.mode == .paper && paper.isPaper && !paper.isQuick)
        #expect(try RunOptions.parse(arguments: [], environment: ["COURSE_MODE": "paper"]).mode == .paper)
    }

    // Hand-derived: 4 significant digits, fixed notation between 1e-4 and 1e6.
    @Test(arguments: [
        (0.5, "0.5000"), (61706.0, "61706"), (105_415_200.0, "1.054e+08"), (0.000123456, "0.0001235"),
        (9.99996, "10.00"), (-2.5, "-2.500"), (0.0, "0"), (1e-5, "1.000e-05"), (123.456, "123.5"),
    ])
    func numbers(value: Double, text: String) {
        #expect(TranscriptText.number(value) == text)
    }

    @Test func recordsOutputsWithCallSitesAndWritesTheTranscript() throws {
        let pkg = try TempPackage(); defer { pkg.remove() }
        let nb = try pkg.notebook(RunOptions(mode: .quick, seed: 5))
        try Data("svg".utf8).write(to: nb.figureURL("fig-01.svg"))
        try Data("pdf".utf8).write(to: nb.figureURL("fig-01.pdf"))
        nb.show("b", 0.5, fileID: "l99_test/main.swift", line: 10)
        nb.cell("shapes", fileID: "l99_test/main.swift", line: 11) {
            nb.show("conv1", "[1, 6, 28, 28]", fileID: "l99_test/Helpers.swift", line: 3)
            nb.table(header: ["layer", "params"], rows: [["conv1", 156], ["fc1", 48120]], caption: Bilingual(zh: "参数", en: "Parameters"),
                     fileID: "l99_test/main.swift", line: 12)
        }
        nb.figure("fig-01.svg", caption: Bilingual(zh: "图", en: "Figure"), fileID: "l99_test/main.swift", line: 13)
        nb.figure("missing.png", caption: "x", fileID: "l99_test/main.swift", line: 14)
        nb.note(zh: "注意", en: "Note", fileID: "l99_test/main.swift", line: 15)
        nb.exercise(zh: "算一下", en: "Compute", grader: "E01-LRN", fileID: "l99_test/main.swift", line: 16)
        let transcript = nb.finish()

        #expect(transcript.outputs.map(\.content.kind) == ["value", "value", "table", "figure", "figure", "note", "exercise"])
        #expect(transcript.outputs.map(\.location.line) == [10, 3, 12, 13, 14, 15, 16])
        #expect(transcript.outputs.map(\.cell) == [nil, "shapes", "shapes", nil, nil, nil, nil])
        #expect(transcript.outputs[0].content == .value(label: "b", text: "0.5000"))
        #expect(transcript.cells.map(\.name) == ["shapes"] && transcript.cells[0].firstOutput == 1 && transcript.cells[0].endOutput == 3)
        guard case let .figure(figure) = transcript.outputs[3].content else { Issue.record("not a figure"); return }
        #expect(figure == FigureRecord(name: "fig-01.svg", caption: Bilingual(zh: "图", en: "Figure"), path: "l99-test/fig-01.svg",
                                       alternates: ["l99-test/fig-01.pdf"], exists: true))
        #expect(transcript.problems.count == 1 && transcript.problems[0].contains("missing.png"))
        #expect(transcript.mode == .quick && transcript.seed == 5)
        #expect(transcript.sources.map(\.path) == ["Lessons/L99-Test/main.swift"])

        let written = try Transcript.read(from: pkg.outputRoot.appendingPathComponent("l99-test/transcript.json"))
        #expect(written.outputs == transcript.outputs && written.cells == transcript.cells)
        #expect(TranscriptText.lines(transcript.outputs[2].content, language: .en) == [
            "Table: Parameters", "layer  params", "-----  ------", "conv1     156", "fc1     48120",
        ])
    }

    @Test func placementAndSnapshots() throws {
        let text = """
        //: 开头
        let nb = Notebook("x")
        nb.show("b", 0.5)
        //> b: 0.4000

        //: 第二段
        nb.cell("c") { helper() }
        nb.note(zh: "注", en: "n")
        //: 结尾
        """
        let source = try LessonSource(text: text)
        func output(_ i: Int, _ file: String, _ line: Int, _ cell: String?, _ content: OutputContent) -> RecordedOutput {
            RecordedOutput(index: i, location: SourceLocation(fileID: "x/\(file)", line: line), cell: cell, content: content)
        }
        let transcript = Transcript(
            lesson: "x", mode: .quick, seed: 0, language: .zh, startedAt: Date(), seconds: 0, sources: [],
            outputs: [output(0, "main.swift", 3, nil, .value(label: "b", text: "0.5000")),
                      output(1, "Helper.swift", 9, "c", .value(label: "h", text: "1")),
                      output(2, "main.swift", 8, nil, .note(Bilingual(zh: "注", en: "n"))),
                      output(3, "Helper.swift", 20, nil, .value(label: "lost", text: "?"))],
            cells: [CellRecord(name: "c", location: SourceLocation(fileID: "x/main.swift", line: 7), firstOutput: 1, endOutput: 2, seconds: 0)],
            cache: [], problems: [])
        let placement = OutputPlacement.place(transcript, in: source)
        #expect(placement.byCodeBlock == [1: [0], 4: [1, 2]] && placement.unplaced == [3])

        let mismatches = Snapshot.check(source, against: transcript)
        #expect(mismatches.map(\.lines) == [2...3, 7...8])
        #expect(mismatches[0].recorded == ["b: 0.4000"] && mismatches[0].actual == ["b: 0.5000"])
        #expect(mismatches[1].recorded == [] && mismatches[1].actual == ["h: 1"])   // the note is prose, not snapshotted

        let rerecorded = try Snapshot.record(text, transcript: transcript)
        #expect(rerecorded == """
        //: 开头
        let nb = Notebook("x")
        nb.show("b", 0.5)
        //> b: 0.5000

        //: 第二段
        nb.cell("c") { helper() }
        nb.note(zh: "注", en: "n")
        //> h: 1
        //: 结尾
        """)
        // After re-recording, the new source's //> lines sit where the splitter expects them.
        #expect(Snapshot.check(try LessonSource(text: rerecorded), against: shifted(transcript)).isEmpty)
    }

    /// The same run against the re-recorded source: lines after the inserted `//>` moved down by one.
    private func shifted(_ t: Transcript) -> Transcript {
        var t = t
        t.outputs = t.outputs.map { o in var o = o; if o.location.fileName == "main.swift" && o.location.line > 8 { o.location.line += 1 }; return o }
        return t
    }
}
