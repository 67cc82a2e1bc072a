// Weaving: source blocks in order, each code block followed by the outputs it produced (placed by
// `OutputPlacement`, i.e. by the call line recorded in the transcript, never by the `//>` lines).
import Foundation
import Notebook

/// Merges a lesson's source and transcript into a `Handout`.
public enum Weaver {
    /// Weaves `source` (the lesson's main.swift) with the outputs of `transcript` in `language`.
    ///
    /// - Prose blocks become headings, paragraphs, list items and formulas (`Markdown`); the first
    ///   level-1 heading becomes the title.
    /// - A shown code block is printed as a listing, a folded one as its title, a hidden one not at
    ///   all; in every case its outputs follow it.
    /// - Consecutive values of one code block share one output box; figures and tables are
    ///   numbered in order of appearance; notes and exercises become call-outs.
    /// - Outputs no code block claims (recorded outside main.swift and outside any cell opened
    ///   there) are appended at the end, so nothing a run recorded is lost.
    /// - Parameter figureFile: maps a figure record to the file the handout should embed (relative
    ///   to the output root); by default the PNG sibling when there is one.
    public static func weave(source: LessonSource, transcript: Transcript, language: Language, gitCommit: String?,
                             figureFile: (FigureRecord) -> String = Weaver.embeddableFile) -> Handout {
        let placement = OutputPlacement.place(transcript, in: source)
        var elements: [HandoutElement] = []
        var title: String?
        var figureNumber = 0, tableNumber = 0

        func appendOutputs(_ indices: [Int]) {
            var pending: (lines: [String], outputs: [Int]) = ([], [])
            func flushValues() {
                if !pending.outputs.isEmpty { elements.append(.output(lines: pending.lines, outputs: pending.outputs)) }
                pending = ([], [])
            }
            for index in indices {
                let output = transcript.outputs[index]
                switch output.content {
                case .value:
                    pending.lines += TranscriptText.lines(output.content, language: language)
                    pending.outputs.append(index)
                case let .table(t):
                    flushValues(); tableNumber += 1
                    elements.append(.table(t, number: tableNumber, output: index))
                case let .figure(f):
                    flushValues(); figureNumber += 1
                    elements.append(.figure(f, number: figureNumber, file: figureFile(f), output: index))
                case let .note(text):
                    flushValues()
                    elements.append(.note(markup: Markdown.inline(text.text(for: language)), output: index))
                case let .exercise(e):
                    flushValues()
                    elements.append(.exercise(markup: Markdown.inline(e.prompt.text(for: language)), grader: e.grader, output: index))
                }
            }
            flushValues()
        }

        for (index, block) in source.blocks.enumerated() {
            switch block {
            case let .prose(prose):
                for md in Markdown.parse(prose.text(for: language)) {
                    switch md {
                    case let .heading(1, _, plain) where title == nil: title = plain
                    case let .heading(level, markup, plain): elements.append(.heading(level: level, markup: markup, plain: plain))
                    case let .paragraph(markup): elements.append(.paragraph(markup: markup))
                    case let .listItem(marker, markup): elements.append(.listItem(marker: marker, markup: markup))
                    case let .formula(markup): elements.append(.formula(markup: markup))
                    }
                }
            case let .code(code):
                switch code.visibility {
                case .shown: elements.append(.code(text: code.text, lines: code.lines))
                case let .folded(t):
                    elements.append(.folded(title: t ?? (language == .zh ? "（折叠的代码）" : "(folded code)"), lines: code.lines))
                case .hidden: break
                }
                appendOutputs(placement.byCodeBlock[index] ?? [])
            case .output:
                break   // `//>` snapshots are for readers of the source and for tests; the transcript is the truth
            }
        }
        if !placement.unplaced.isEmpty {
            elements.append(.heading(level: 3, markup: language == .zh ? "其他输出" : "Other outputs",
                                     plain: language == .zh ? "其他输出" : "Other outputs"))
            appendOutputs(placement.unplaced)
        }
        return Handout(lesson: transcript.lesson, language: language, title: title ?? transcript.lesson, elements: elements,
                       provenance: Provenance(transcript: transcript, gitCommit: gitCommit), problems: transcript.problems)
    }

    /// The PNG sibling of a figure when the lesson wrote one (Cairo places raster images in a PDF;
    /// it cannot import another PDF), else the registered file.
    public static func embeddableFile(_ figure: FigureRecord) -> String {
        if figure.path.lowercased().hasSuffix(".png") { return figure.path }
        return figure.alternates.first { $0.lowercased().hasSuffix(".png") } ?? figure.path
    }
}
