import Foundation

/// A lexical Swift highlighter: keywords, types (capitalised names), attributes and directives,
/// strings, numbers and comments, each with a colour. It works line by line and carries block
/// comments and multi-line strings across lines.
public struct SwiftHighlighter {
    public enum Token: Sendable, Equatable { case plain, keyword, type, string, number, comment, attribute }
    public static let keywords: Set<String> = [
        "let", "var", "func", "struct", "class", "enum", "protocol", "extension", "import", "return", "if", "else", "guard",
        "for", "in", "while", "repeat", "switch", "case", "default", "break", "continue", "where", "throw", "throws", "try",
        "catch", "do", "public", "private", "fileprivate", "internal", "package", "open", "static", "final", "init", "deinit",
        "self", "Self", "super", "nil", "true", "false", "mutating", "inout", "some", "any", "as", "is", "typealias",
        "associatedtype", "defer", "async", "await", "lazy", "weak", "override", "subscript", "rethrows", "nonisolated",
    ]

    static func color(_ t: Token) -> String? {
        switch t {
        case .plain: nil
        case .keyword: "#9B2393"
        case .type: "#0B4F79"
        case .string: "#C41A16"
        case .number: "#1C00CF"
        case .comment: "#5D6C79"
        case .attribute: "#815F03"
        }
    }

    var inBlockComment = false
    public init() {}

    /// Splits one line into (text, token) runs.
    public mutating func tokens(_ line: String) -> [(String, Token)] {
        var out: [(String, Token)] = []
        let s = Array(line)
        var i = 0
        func emit(_ from: Int, _ to: Int, _ t: Token) { if to > from { out.append((String(s[from..<to]), t)) } }
        while i < s.count {
            if inBlockComment {
                let start = i
                while i < s.count, !(s[i] == "*" && i + 1 < s.count && s[i + 1] == "/") { i += 1 }
                if i < s.count { i += 2; inBlockComment = false }
                emit(start, i, .comment); continue
            }
            let c = s[i]
            if c == "/", i + 1 < s.count, s[i + 1] == "/" { emit(i, s.count, .comment); break }
            if c == "/", i + 1 < s.count, s[i + 1] == "*" { inBlockComment = true; emit(i, i + 2, .comment); i += 2; continue }
            if c == "\"" {
                let start = i; i += 1
                while i < s.count, s[i] != "\"" { if s[i] == "\\" { i += 1 }; i += 1 }
                i = min(i + 1, s.count); emit(start, i, .string); continue
            }
            if c.isNumber {
                let start = i
                while i < s.count, s[i].isNumber || s[i] == "." || s[i] == "_" || s[i] == "e" || s[i].isHexDigit && s[start..<i].contains("x") || s[i] == "x" { i += 1 }
                if s[start..<i].last == "." { i -= 1 }
                emit(start, i, .number); continue
            }
            if c.isLetter || c == "_" || c == "@" || c == "#" {
                let start = i; i += 1
                while i < s.count, s[i].isLetter || s[i].isNumber || s[i] == "_" { i += 1 }
                let word = String(s[start..<i])
                let t: Token = (c == "@" || c == "#") ? .attribute : Self.keywords.contains(word) ? .keyword : c.isUppercase ? .type : .plain
                emit(start, i, t); continue
            }
            let start = i
            while i < s.count, !(s[i].isLetter || s[i].isNumber || "_@#\"/".contains(s[i])) { i += 1 }
            if i == start { i += 1 }
            emit(start, i, .plain)
        }
        return out
    }

    /// Pango markup for a run list.
    public static func markup(_ runs: [(String, Token)]) -> String {
        runs.map { text, t in
            let e = Markup.escape(text)
            guard let color = color(t) else { return e }
            return t == .comment ? "<span foreground=\"\(color)\" style=\"italic\">\(e)</span>" : "<span foreground=\"\(color)\">\(e)</span>"
        }.joined()
    }

    /// Visual lines of `source` wrapped at `columns` (Han characters count as two columns), breaking
    /// after a space where one is near the limit; continuation lines start with "↪ " so a reader
    /// sees the break is not in the source.
    public static func wrappedLines(_ source: String, columns: Int, highlight: Bool = true) -> [String] {
        var hl = SwiftHighlighter()
        var out: [String] = []
        let cols = max(columns, 12)
        func width(_ c: Character) -> Int { c.unicodeScalars.first.map { $0.value >= 0x2E80 ? 2 : 1 } ?? 1 }
        for line in source.replacingOccurrences(of: "\t", with: "    ").components(separatedBy: "\n") {
            let runs = highlight ? hl.tokens(line) : [(line, Token.plain)]
            // Character-level token kinds, then break positions on the plain text.
            var chars: [(Character, Token)] = []
            for (text, t) in runs { for c in text { chars.append((c, t)) } }
            var breaks: [Int] = []
            var start = 0
            while true {
                var w = start == 0 ? 0 : 2, i = start
                while i < chars.count, w + width(chars[i].0) <= cols { w += width(chars[i].0); i += 1 }
                if i >= chars.count { break }
                if let space = chars[start..<i].lastIndex(where: { $0.0 == " " }), space > start + (i - start) / 2 { i = space + 1 }
                breaks.append(i); start = i
            }
            var bounds = [0] + breaks + [chars.count]
            if chars.isEmpty { bounds = [0, 0] }
            for k in 0..<(bounds.count - 1) {
                var segment: [(String, Token)] = k == 0 ? [] : [("↪ ", .comment)]
                for (c, t) in chars[bounds[k]..<bounds[k + 1]] {
                    if let last = segment.last, last.1 == t, !(k > 0 && segment.count == 1) { segment[segment.count - 1].0.append(c) }
                    else { segment.append((String(c), t)) }
                }
                out.append(markup(segment))
            }
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }
}
