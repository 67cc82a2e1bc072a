// The Markdown subset lesson prose is written in, turned into blocks whose text is Pango markup.
// Lessons need headings, paragraphs, lists, display formulas and a little inline styling; a full
// CommonMark parser would be dead weight, and anything outside the subset stays readable text.
import Foundation
import Render

/// One block of lesson prose.
public enum MarkdownBlock: Equatable, Sendable {
    /// `#`, `##`, `###` headings; `markup` is Pango markup, `plain` the text a reader sees.
    case heading(level: Int, markup: String, plain: String)
    /// Consecutive text lines joined by spaces (a blank line ends a paragraph).
    case paragraph(markup: String)
    /// `- item`, `* item` or `1. item`; `marker` is "•" or "1.".
    case listItem(marker: String, markup: String)
    /// A display formula, `$$ … $$` on its own line(s).
    case formula(markup: String)
}

/// Parses the Markdown subset used in lesson prose.
///
/// | source | block |
/// |---|---|
/// | `# T`, `## T`, `### T` | heading |
/// | `- x`, `* x`, `1. x` (continuation lines indented) | list item |
/// | `$$ f $$` (one line, or `$$` lines around it) | formula (TeX subset, see `TeXMath`) |
/// | other lines | paragraph, ended by a blank line |
///
/// Inline: `` `code` ``, `**bold**`, `*italic*`, `$math$`, `[text](url)` (the text is kept).
public enum Markdown {
    public static func parse(_ text: String) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var paragraph: [String] = []
        var item: (marker: String, lines: [String])?
        var formula: [String]?

        func flush() {
            if !paragraph.isEmpty { blocks.append(.paragraph(markup: inline(paragraph.joined(separator: " ")))) }
            paragraph = []
            if let i = item { blocks.append(.listItem(marker: i.marker, markup: inline(i.lines.joined(separator: " ")))) }
            item = nil
        }

        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if var open = formula {
                if line == "$$" { blocks.append(.formula(markup: TeXMath.markup(open.joined(separator: " ")))); formula = nil }
                else { open.append(line); formula = open }
                continue
            }
            if line.isEmpty { flush(); continue }
            if line == "$$" { flush(); formula = []; continue }
            if line.hasPrefix("$$"), line.hasSuffix("$$"), line.count > 4 {
                flush()
                blocks.append(.formula(markup: TeXMath.markup(String(line.dropFirst(2).dropLast(2)))))
                continue
            }
            if let level = headingLevel(line) {
                flush()
                let body = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                blocks.append(.heading(level: level, markup: inline(body), plain: Markup.plainText(inline(body))))
                continue
            }
            if let (marker, rest) = listMarker(line) {
                flush()
                item = (marker, [rest])
                continue
            }
            if item != nil, raw.first == " " || raw.first == "\t" { item!.lines.append(line); continue }
            if item != nil { flush() }
            paragraph.append(line)
        }
        if let open = formula { paragraph.append("$$ " + open.joined(separator: " ")) }   // unclosed: keep the text
        flush()
        return blocks
    }

    static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...4).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    static func listMarker(_ line: String) -> (String, String)? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return ("•", String(line.dropFirst(2))) }
        let digits = line.prefix { $0.isNumber }
        if !digits.isEmpty, digits.count <= 3, line.dropFirst(digits.count).hasPrefix(". ") {
            return ("\(digits).", String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    /// Inline Markdown to Pango markup; everything else is escaped.
    public static func inline(_ text: String) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        func find(_ close: String, from start: Int) -> Int? {
            let c = Array(close)
            var j = start
            while j + c.count <= chars.count {
                if Array(chars[j..<j + c.count]) == c { return j }
                j += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "`", let end = find("`", from: i + 1) {
                out += "<tt>" + Markup.escape(String(chars[i + 1..<end])) + "</tt>"
                i = end + 1
            } else if c == "$", let end = find("$", from: i + 1), end > i + 1 {
                out += TeXMath.markup(String(chars[i + 1..<end]))
                i = end + 1
            } else if c == "*", i + 1 < chars.count, chars[i + 1] == "*", let end = find("**", from: i + 2), end > i + 2 {
                out += "<b>" + inline(String(chars[i + 2..<end])) + "</b>"
                i = end + 2
            } else if c == "*", i + 1 < chars.count, chars[i + 1] != " ", let end = find("*", from: i + 1), end > i + 1 {
                out += "<i>" + inline(String(chars[i + 1..<end])) + "</i>"
                i = end + 1
            } else if c == "[", let mid = find("](", from: i + 1), let end = find(")", from: mid + 2) {
                out += "<u>" + inline(String(chars[i + 1..<mid])) + "</u>"
                i = end + 1
            } else {
                out += Markup.escape(String(c))
                i += 1
            }
        }
        return out
    }
}
