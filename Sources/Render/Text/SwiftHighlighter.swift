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

    /// Visual lines of `source` wrapped at `columns` (Han characters count as two columns);
    /// continuation lines start with "↪ " so a reader sees the break is not in the source.
    public static func wrappedLines(_ source: String, columns: Int, highlight: Bool = true) -> [String] {
        var hl = SwiftHighlighter()
        var out: [String] = []
        let cols = max(columns, 8)
        for line in source.replacingOccurrences(of: "\t", with: "    ").components(separatedBy: "\n") {
            let runs = highlight ? hl.tokens(line) : [(line, Token.plain)]
            var current: [(String, Token)] = [], width = 0, limit = cols
            for (text, t) in runs {
                var piece = ""
                for ch in text {
                    let w = ch.unicodeScalars.first.map { $0.value >= 0x2E80 ? 2 : 1 } ?? 1
                    if width + w > limit {
                        current.append((piece, t)); piece = ""
                        out.append(markup(current))
                        current = [("↪ ", .comment)]; width = 2; limit = cols
                    }
                    piece.append(ch); width += w
                }
                current.append((piece, t))
            }
            out.append(markup(current))
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }
}
