// Line classification and block grouping for `LessonSource`. Kept apart from the data model so
// the model reads as the format's documentation.
import Foundation

/// What one source line is, judged by its first non-blank characters.
enum SourceLine: Equatable {
    case prose(Language, String)
    case output(String)
    case directive(CodeVisibility)
    case blank
    case code(String)

    /// Classifies one line; `//:en` must be followed by a space or the end of the line, so
    /// `//:english` is Chinese prose starting with "english" (a documented corner, not a guess).
    static func classify(_ raw: Substring, file: String, line: Int) throws -> SourceLine {
        let trimmed = raw.drop { $0 == " " || $0 == "\t" }
        if trimmed.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { return .blank }
        if trimmed.hasPrefix("//:en") {
            let rest = trimmed.dropFirst(5)
            if rest.isEmpty || rest.first == " " || rest.first == "\r" { return .prose(.en, content(rest)) }
        }
        if trimmed.hasPrefix("//:") { return .prose(.zh, content(trimmed.dropFirst(3))) }
        if trimmed.hasPrefix("//>") { return .output(content(trimmed.dropFirst(3))) }
        if trimmed.hasPrefix("//-") {
            let words = content(trimmed.dropFirst(3))
            let verb = words.prefix { $0 != " " }
            let argument = words.dropFirst(verb.count).trimmingCharacters(in: .whitespaces)
            switch verb {
            case "hide": return .directive(.hidden)
            case "fold": return .directive(.folded(title: argument.isEmpty ? nil : argument))
            case "show": return .directive(.shown)
            default:
                throw NotebookError.badSource(file: file, line: line,
                                              reason: "unknown directive '//- \(verb)' (expected hide, fold [title] or show)")
            }
        }
        return .code(String(raw.hasSuffix("\r") ? raw.dropLast() : raw))
    }

    /// Text after a marker: one separating space removed, trailing carriage return and spaces kept
    /// out (Markdown hard breaks by trailing spaces are not supported; use a blank `//:` line).
    private static func content(_ rest: Substring) -> String {
        var s = rest
        if s.first == " " { s = s.dropFirst() }
        while let last = s.last, last == "\r" || last == " " { s = s.dropLast() }
        return String(s)
    }
}

struct LessonSplitter {
    var fileName: String

    private enum Open {
        case none
        case prose(runs: [(Language, [String], ClosedRange<Int>)], first: Int, last: Int)
        case code(lines: [(Int, String)], visibility: CodeVisibility, first: Int)
        case output(lines: [String], first: Int, last: Int)
    }

    func split(_ text: String) throws -> [SourceBlock] {
        var blocks: [SourceBlock] = []
        var open = Open.none
        var lastCodeIndex: Int?
        // Only directives can start an empty code block; a blank line after prose starts nothing.
        var sawBlankSinceRun = false

        func close() {
            switch open {
            case .none: break
            case let .prose(runs, first, last):
                blocks.append(.prose(ProseBlock(paragraphs: LessonSplitter.pair(runs), lines: first...last)))
            case let .code(lines, visibility, first):
                var body = lines
                while let l = body.last, l.1.trimmingCharacters(in: .whitespaces).isEmpty { body.removeLast() }
                while let f = body.first, f.1.trimmingCharacters(in: .whitespaces).isEmpty { body.removeFirst() }
                if let lastLine = body.last?.0 {
                    let start = visibility == .shown ? body.first!.0 : first
                    blocks.append(.code(CodeBlock(text: body.map(\.1).joined(separator: "\n"), visibility: visibility, lines: start...lastLine)))
                    lastCodeIndex = blocks.count - 1
                }
            case let .output(lines, first, last):
                blocks.append(.output(OutputBlock(text: lines, lines: first...last, codeBlockIndex: lastCodeIndex)))
            }
            open = .none
        }

        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = try SourceLine.classify(raw, file: fileName, line: number)
            switch (line, open) {
            case let (.prose(language, content), .prose(runs, first, _)):
                var runs = runs
                if let lastRun = runs.last, lastRun.0 == language, !sawBlankSinceRun {
                    runs[runs.count - 1] = (language, lastRun.1 + [content], lastRun.2.lowerBound...number)
                } else {
                    runs.append((language, [content], number...number))
                }
                open = .prose(runs: runs, first: first, last: number)
            case let (.prose(language, content), _):
                close()
                open = .prose(runs: [(language, [content], number...number)], first: number, last: number)
            case let (.output(content), .output(lines, first, _)):
                open = .output(lines: lines + [content], first: first, last: number)
            case let (.output(content), _):
                close()
                open = .output(lines: [content], first: number, last: number)
            case let (.directive(visibility), _):
                close()
                open = .code(lines: [], visibility: visibility, first: number)
            case (.blank, .code(var lines, let visibility, let first)):
                lines.append((number, ""))
                open = .code(lines: lines, visibility: visibility, first: first)
            case (.blank, .output):
                close()
            case (.blank, _):
                break
            case let (.code(content), .code(lines, visibility, first)):
                open = .code(lines: lines + [(number, content)], visibility: visibility, first: first)
            case let (.code(content), _):
                close()
                open = .code(lines: [(number, content)], visibility: .shown, first: number)
            }
            sawBlankSinceRun = line == .blank
        }
        close()
        return blocks
    }

    /// Pairs adjacent runs of different languages, greedily from the top: zh,en,zh,en gives two
    /// bilingual paragraphs; en,zh also pairs; a run whose neighbour has the same language (or
    /// none) stands alone and is shown in both handouts.
    static func pair(_ runs: [(Language, [String], ClosedRange<Int>)]) -> [ProseParagraph] {
        var paragraphs: [ProseParagraph] = []
        var i = 0
        func text(_ lines: [String]) -> String { lines.joined(separator: "\n") }
        while i < runs.count {
            let run = runs[i]
            var paragraph = ProseParagraph(zh: nil, en: nil, lines: run.2)
            if run.0 == .zh { paragraph.zh = text(run.1) } else { paragraph.en = text(run.1) }
            if i + 1 < runs.count, runs[i + 1].0 != run.0 {
                let next = runs[i + 1]
                if next.0 == .zh { paragraph.zh = text(next.1) } else { paragraph.en = text(next.1) }
                paragraph.lines = run.2.lowerBound...next.2.upperBound
                i += 2
            } else {
                i += 1
            }
            paragraphs.append(paragraph)
        }
        return paragraphs
    }
}
