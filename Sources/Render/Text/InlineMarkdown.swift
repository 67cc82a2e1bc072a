import Foundation

/// Converts the kit's Markdown subset to Pango markup.
///
/// Inline: `*emphasis*`, `_emphasis_`, `**strong**`, `` `code` ``, `[text](url)`, `x^sup^`, `x~sub~`,
/// inline math `$a_{x,y}^i$` (italic letters, `_`/`^` sub/superscripts, `\alpha`-style names,
/// `11 x 11 x 3` → 11 × 11 × 3), and cross-references `@fig:label` resolved by `resolve`.
/// Blocks (`MarkdownBlocks.split`): paragraphs separated by blank lines, `- ` / `* ` bullets and `1. ` lists.
public struct InlineMarkdown {
    /// Turns a cross-reference label into its display text ("Figure 2"); nil marks it unknown.
    public var resolve: (String) -> String?
    /// Labels that did not resolve, in order of appearance.
    public private(set) var unresolved: [String] = []

    public init(resolve: @escaping (String) -> String? = { _ in nil }) { self.resolve = resolve }

    static let codeSpan = "<span font_family=\"\(FontRole.mono.familyList)\" foreground=\"#8A3B12\">"

    /// Pango markup for one paragraph of Markdown.
    public mutating func markup(_ source: String) -> String {
        var out = ""
        let s = Array(source)
        var i = 0
        var open: [String] = []   // stack of open inline styles: "**", "*", "_"
        func peek(_ k: Int) -> Character? { i + k < s.count ? s[i + k] : nil }
        func take(until end: Character, from start: Int) -> (String, Int)? {
            var j = start
            while j < s.count { if s[j] == end { return (String(s[start..<j]), j) }; j += 1 }
            return nil
        }
        while i < s.count {
            let c = s[i]
            if c == "\\", let n = peek(1), "*_`$[]^~@\\".contains(n) { out += Markup.escape(String(n)); i += 2; continue }
            if c == "`", let (code, end) = take(until: "`", from: i + 1) {
                out += Self.codeSpan + Markup.escape(code) + "</span>"; i = end + 1; continue
            }
            if c == "$", let (math, end) = take(until: "$", from: i + 1), !math.isEmpty {
                out += Self.math(math); i = end + 1; continue
            }
            if c == "[", let (text, close) = take(until: "]", from: i + 1), close + 1 < s.count, s[close + 1] == "(",
               let (_, end) = take(until: ")", from: close + 2) {
                var inner = InlineMarkdown(resolve: resolve)
                out += "<span foreground=\"#0B5CAD\" underline=\"single\">" + inner.markup(text) + "</span>"
                unresolved += inner.unresolved
                i = end + 1; continue
            }
            // "a@b.org" is not a reference, but "见@fig:x" is: only an ASCII word character blocks it.
            if c == "@", (i == 0 || !(s[i - 1].isASCII && (s[i - 1].isLetter || s[i - 1].isNumber))), let n = peek(1), n.isLetter {
                var j = i + 1
                while j < s.count, s[j].isLetter || s[j].isNumber || "-_:".contains(s[j]) { j += 1 }
                while j > i + 1, ":-_".contains(s[j - 1]) { j -= 1 }  // trailing punctuation is not part of a label
                let label = String(s[(i + 1)..<j])
                if let text = resolve(label) { out += Markup.escape(text) } else { unresolved.append(label); out += Markup.escape("@" + label) }
                i = j; continue
            }
            if (c == "^" || c == "~"), let (inner, end) = take(until: c, from: i + 1), !inner.isEmpty, !inner.contains(" ") {
                let tag = c == "^" ? "sup" : "sub"
                out += "<\(tag)>\(Markup.escape(inner))</\(tag)>"; i = end + 1; continue
            }
            if c == "*" && peek(1) == "*" {
                if open.last == "**" { open.removeLast(); out += "</b>" } else { open.append("**"); out += "<b>" }
                i += 2; continue
            }
            let wordBefore = i > 0 && (s[i - 1].isLetter || s[i - 1].isNumber)
            let wordAfter = peek(1).map { $0.isLetter || $0.isNumber } ?? false
            if c == "*" || (c == "_" && !(wordBefore && wordAfter)) {
                let marker = String(c)
                if open.last == marker { open.removeLast(); out += "</i>"; i += 1; continue }
                if peek(1).map({ !$0.isWhitespace }) ?? false, source[source.index(source.startIndex, offsetBy: i + 1)...].contains(c) {
                    open.append(marker); out += "<i>"; i += 1; continue
                }
            }
            out += Markup.escape(String(c)); i += 1
        }
        for m in open.reversed() { out += m == "**" ? "</b>" : "</i>" }
        return out
    }

    static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ",
        "mu": "μ", "sigma": "σ", "tau": "τ", "phi": "φ", "omega": "ω", "pi": "π", "Sigma": "Σ", "Delta": "Δ",
        "times": "×", "cdot": "·", "sum": "Σ", "prod": "∏", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "approx": "≈",
        "neq": "≠", "to": "→", "rightarrow": "→", "infty": "∞", "partial": "∂", "nabla": "∇", "sqrt": "√", "ell": "ℓ",
        "in": "∈", "ldots": "…", "dots": "…", "pm": "±",
    ]

    /// Inline math: letters italic, digits and operators upright, `_x`/`_{…}` and `^x`/`^{…}`.
    public static func math(_ src: String) -> String {
        let s = Array(src)
        var i = 0
        func group() -> String {
            guard i < s.count else { return "" }
            if s[i] == "{" {
                var depth = 0, j = i
                repeat { if s[j] == "{" { depth += 1 } else if s[j] == "}" { depth -= 1 }; j += 1 } while j < s.count && depth > 0
                let inner = String(s[(i + 1)..<max(i + 1, j - 1)])
                i = j
                return math(inner)
            }
            if s[i] == "\\" { return atom() }
            let c = s[i]; i += 1
            return math(String(c))
        }
        func atom() -> String {
            let c = s[i]
            if c == "\\" {
                var j = i + 1
                while j < s.count, s[j].isLetter { j += 1 }
                let name = String(s[(i + 1)..<j]); i = j
                if let sym = symbols[name] { return sym.first!.isLetter && name.first!.isLowercase && name != "ell" ? "<i>\(sym)</i>" : sym }
                return Markup.escape(name)
            }
            i += 1
            if c == "x", i >= 2, s[i - 2] == " ", i < s.count, s[i] == " " { return "×" }   // 11 x 11 x 3
            if c == "-" { return "−" }
            if c == "*" { return "·" }
            if c.isLetter { return "<i>\(Markup.escape(String(c)))</i>" }
            return Markup.escape(String(c))
        }
        var out = ""
        while i < s.count {
            if s[i] == "_" { i += 1; out += "<sub>" + group() + "</sub>"; continue }
            if s[i] == "^" { i += 1; out += "<sup>" + group() + "</sup>"; continue }
            out += atom()
        }
        return out
    }
}

/// Block structure of a Markdown paragraph string.
public enum MarkdownBlock: Equatable, Sendable {
    case paragraph(String)
    /// A list item with its marker ("•" or "3.") and nesting depth.
    case item(marker: String, text: String, depth: Int)
}

public enum MarkdownBlocks {
    /// Splits text into paragraphs (blank-line separated) and list items.
    public static func split(_ text: String) -> [MarkdownBlock] {
        var out: [MarkdownBlock] = []
        var current: [String] = []
        var currentItem: (String, [String], Int)? = nil
        func flush() {
            if let (m, lines, d) = currentItem { out.append(.item(marker: m, text: lines.joined(separator: " "), depth: d)); currentItem = nil }
            if !current.isEmpty { out.append(.paragraph(current.joined(separator: " "))); current = [] }
        }
        for raw in text.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let depth = raw.prefix { $0 == " " }.count / 2
            if line.isEmpty { flush(); continue }
            if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") {
                flush(); currentItem = ("•", [String(line.dropFirst(2))], depth); continue
            }
            if let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber), !line[..<dot].isEmpty,
               line[line.index(after: dot)...].hasPrefix(" ") {
                flush(); currentItem = (String(line[...dot]), [String(line[line.index(dot, offsetBy: 2)...])], depth); continue
            }
            if currentItem != nil { currentItem!.1.append(line) } else { current.append(line) }
        }
        flush()
        return out
    }
}
