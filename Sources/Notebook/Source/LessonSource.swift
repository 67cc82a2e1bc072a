// The source splitter: one lesson file -> an ordered list of prose, code and recorded-output
// blocks with their source line ranges. The format is documented in Sources/Notebook/README.md.
import Foundation

/// A handout language.
public enum Language: String, Codable, CaseIterable, Sendable {
    /// Chinese, the language the lecture is taught in (`//:` lines).
    case zh
    /// English (`//:en` lines).
    case en
}

/// How a code block appears in the handout.
public enum CodeVisibility: Equatable, Codable, Sendable {
    /// Printed as a listing (the default).
    case shown
    /// Collapsed to its one-line title (the weaver may print it in an appendix).
    case folded(title: String?)
    /// Left out of the handout; its outputs are still shown.
    case hidden
}

/// One paragraph group of prose: a run of `//:` lines and the `//:en` run next to it.
public struct ProseParagraph: Equatable, Sendable {
    public init(zh: String?, en: String?, lines: ClosedRange<Int>) { self.zh = zh; self.en = en; self.lines = lines }
    /// Chinese Markdown, or nil when the paragraph was written in English only.
    public var zh: String?
    /// English Markdown, or nil when the paragraph was written in Chinese only.
    public var en: String?
    /// Source lines of the group.
    public var lines: ClosedRange<Int>

    /// The text for `language`; a paragraph written in one language only is shown in both.
    public func text(for language: Language) -> String {
        switch language {
        case .zh: zh ?? en ?? ""
        case .en: en ?? zh ?? ""
        }
    }
}

/// A maximal run of prose lines (blank source lines inside it are allowed).
public struct ProseBlock: Equatable, Sendable {
    public init(paragraphs: [ProseParagraph], lines: ClosedRange<Int>) { self.paragraphs = paragraphs; self.lines = lines }
    public var paragraphs: [ProseParagraph]
    public var lines: ClosedRange<Int>

    /// Markdown of the block in `language` (paragraph groups separated by a blank line).
    public func text(for language: Language) -> String {
        paragraphs.map { $0.text(for: language) }.joined(separator: "\n\n")
    }

    /// Paragraph groups that exist in one language only (for a translation lint).
    public var untranslated: [ProseParagraph] { paragraphs.filter { $0.zh == nil || $0.en == nil } }
}

/// Code lines between prose blocks, as the handout shows them.
public struct CodeBlock: Equatable, Sendable {
    public init(text: String, visibility: CodeVisibility, lines: ClosedRange<Int>) {
        self.text = text; self.visibility = visibility; self.lines = lines
    }
    /// The code, leading and trailing blank lines removed, `//>` and `//-` lines excluded.
    public var text: String
    public var visibility: CodeVisibility
    /// From the first to the last line of the block (a directive line opens its block).
    public var lines: ClosedRange<Int>
}

/// A run of recorded-output lines `//>`; it belongs to the code block right before it.
public struct OutputBlock: Equatable, Sendable {
    public init(text: [String], lines: ClosedRange<Int>, codeBlockIndex: Int?) {
        self.text = text; self.lines = lines; self.codeBlockIndex = codeBlockIndex
    }
    /// The recorded lines, without the `//>` marker and one following space.
    public var text: [String]
    public var lines: ClosedRange<Int>
    /// Index (in the block list) of the code block this output belongs to, nil if none precedes it.
    public var codeBlockIndex: Int?
}

/// One block of a lesson file.
public enum SourceBlock: Equatable, Sendable {
    case prose(ProseBlock)
    case code(CodeBlock)
    case output(OutputBlock)

    /// The block's source lines.
    public var lines: ClosedRange<Int> {
        switch self {
        case let .prose(p): p.lines
        case let .code(c): c.lines
        case let .output(o): o.lines
        }
    }
}

/// A lesson source file split into blocks.
public struct LessonSource: Sendable {
    /// The file's name as the weaver should print it (e.g. `main.swift`).
    public var fileName: String
    /// Blocks in source order; line ranges are 1-based and never overlap.
    public var blocks: [SourceBlock]

    /// Reads and splits a file.
    /// - Throws: `NotebookError.unreadable`, or `.badSource` for an unknown `//-` directive.
    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw NotebookError.unreadable(path: url.path, reason: "not UTF-8 text (\(error.localizedDescription))")
        }
        try self.init(text: text, fileName: url.lastPathComponent)
    }

    /// Splits source text; `fileName` only appears in error messages and in `fileName`.
    public init(text: String, fileName: String = "main.swift") throws {
        self.fileName = fileName
        self.blocks = try LessonSplitter(fileName: fileName).split(text)
    }

    /// The code blocks with their indices in `blocks`.
    public var codeBlocks: [(index: Int, block: CodeBlock)] {
        blocks.enumerated().compactMap { i, b in if case let .code(c) = b { (i, c) } else { nil } }
    }

    /// Index of the code block whose line range contains `line`, if any.
    public func codeBlockIndex(containing line: Int) -> Int? {
        codeBlocks.first { $0.block.lines.contains(line) }?.index
    }
}
