// A small Swift lexer that knows exactly enough to tell code from comments and string literals.
// The cache keys hash a lesson's *code*: comments (prose `//:`, recorded `//>` outputs, directives
// `//-`, plain `//` and `/* */`) and layout must not change a key, while a changed string literal
// must. A full parser was rejected: the notebook must not depend on swift-syntax, and this lexer
// only needs comments, strings (plain, multi-line, raw, with interpolation) and balanced brackets.
import Foundation

/// The code of one Swift file with comments removed and whitespace outside string literals
/// collapsed, keeping for every byte the source line it came from.
///
/// ```swift
/// let code = SwiftCode("let a = 1 // one\n//: prose\nlet s = \"x // y\"\n")
/// code.normalized()   // "let a = 1\nlet s = \"x // y\""
/// ```
public struct SwiftCode: Sendable {
    /// One byte of normalized code.
    struct Piece: Sendable {
        var byte: UInt8
        var line: Int
        var inString: Bool
    }

    /// A call to `cached` / `cachedDirectory`: from the `.` before the name through the closing
    /// `)` or the `}` of its trailing closure.
    public struct CachedCall: Sendable, Equatable {
        /// First and last source line of the call.
        public var lines: ClosedRange<Int>
        /// The call's normalized code (its own fingerprint input).
        public var code: String
        let pieceRange: Range<Int>
    }

    var pieces: [Piece] = []

    /// Lexes `source`; never fails (unterminated strings or comments run to the end of the file).
    public init(_ source: String) {
        pieces = SwiftCode.lex(Array(source.utf8))
    }

    private enum Context { case code(parens: Int, interpolation: Bool), string(hashes: Int, multiline: Bool) }

    private static func lex(_ b: [UInt8]) -> [Piece] {
        let slash = UInt8(ascii: "/"), star = UInt8(ascii: "*"), quote = UInt8(ascii: "\""), hash = UInt8(ascii: "#")
        let backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"), space = UInt8(ascii: " ")
        let open = UInt8(ascii: "("), close = UInt8(ascii: ")")
        var out: [Piece] = []
        out.reserveCapacity(b.count)
        var stack: [Context] = [.code(parens: 0, interpolation: false)]
        var line = 1
        var i = 0
        let n = b.count
        func at(_ j: Int) -> UInt8 { j < n ? b[j] : 0 }
        func count(_ byte: UInt8, from j: Int) -> Int { var k = j; while k < n && b[k] == byte { k += 1 }; return k - j }

        while i < n {
            let c = b[i]
            switch stack[stack.count - 1] {
            case let .code(parens, interpolation):
                if c == slash && at(i + 1) == slash {
                    while i < n && b[i] != newline { i += 1 }
                    continue
                }
                if c == slash && at(i + 1) == star {
                    var depth = 0
                    repeat {
                        if b[i] == slash && at(i + 1) == star { depth += 1; i += 2; continue }
                        if b[i] == star && at(i + 1) == slash { depth -= 1; i += 2; continue }
                        if b[i] == newline { line += 1; out.append(Piece(byte: newline, line: line - 1, inString: false)) }
                        i += 1
                    } while i < n && depth > 0
                    out.append(Piece(byte: space, line: line, inString: false))
                    continue
                }
                if c == quote || (c == hash && b[min(i + count(hash, from: i), n - 1)] == quote && i + count(hash, from: i) < n) {
                    let hashes = count(hash, from: i)
                    let multiline = at(i + hashes) == quote && at(i + hashes + 1) == quote && at(i + hashes + 2) == quote
                    let delimiterLength = hashes + (multiline ? 3 : 1)
                    for j in i..<i + delimiterLength { out.append(Piece(byte: b[j], line: line, inString: true)) }
                    i += delimiterLength
                    stack.append(.string(hashes: hashes, multiline: multiline))
                    continue
                }
                if interpolation && c == open { stack[stack.count - 1] = .code(parens: parens + 1, interpolation: true) }
                if interpolation && c == close {
                    if parens == 0 {
                        out.append(Piece(byte: c, line: line, inString: true))
                        stack.removeLast(); i += 1; continue
                    }
                    stack[stack.count - 1] = .code(parens: parens - 1, interpolation: true)
                }
                if c == newline {
                    out.append(Piece(byte: newline, line: line, inString: false)); line += 1
                } else if c == space || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                    if let last = out.last, last.byte != space || last.inString { out.append(Piece(byte: space, line: line, inString: false)) }
                } else {
                    out.append(Piece(byte: c, line: line, inString: false))
                }
                i += 1

            case let .string(hashes, multiline):
                if c == backslash && count(hash, from: i + 1) >= hashes {
                    let afterHashes = i + 1 + hashes
                    if at(afterHashes) == open {
                        for j in i...afterHashes { out.append(Piece(byte: b[j], line: line, inString: true)) }
                        i = afterHashes + 1
                        stack.append(.code(parens: 0, interpolation: true))
                        continue
                    }
                    // An escape: keep the backslash and the escaped byte together so `\"` never ends the string.
                    let end = min(afterHashes + 1, n)
                    for j in i..<end { out.append(Piece(byte: b[j], line: line, inString: true)) }
                    if at(afterHashes) == newline { line += 1 }
                    i = end
                    continue
                }
                if c == quote {
                    let quotes = multiline ? 3 : 1
                    if count(quote, from: i) >= quotes && count(hash, from: i + quotes) >= hashes {
                        for j in i..<i + quotes + hashes { out.append(Piece(byte: b[j], line: line, inString: true)) }
                        i += quotes + hashes
                        stack.removeLast()
                        continue
                    }
                }
                if c == newline {
                    out.append(Piece(byte: newline, line: line, inString: !multiline ? false : true))
                    line += 1
                    if !multiline { stack.removeLast() }   // unterminated single-line string: recover
                    i += 1
                    continue
                }
                out.append(Piece(byte: c, line: line, inString: true))
                i += 1
            }
        }
        return out
    }

    /// The code as text: comments gone, whitespace outside strings collapsed, blank lines dropped.
    public func normalized() -> String { SwiftCode.render(pieces[...]) }

    /// The code with every range in `excluded` (piece ranges of cached calls) left out.
    func normalized(excluding excluded: [Range<Int>]) -> String {
        var kept: [Piece] = []
        kept.reserveCapacity(pieces.count)
        var start = 0
        for range in excluded.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > start { kept.append(contentsOf: pieces[start..<range.lowerBound]) }
            start = max(start, range.upperBound)
        }
        if start < pieces.count { kept.append(contentsOf: pieces[start...]) }
        return SwiftCode.render(kept[...])
    }

    static func render(_ pieces: ArraySlice<Piece>) -> String {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        func flush() {
            // Trim the collapsed spaces at both ends of a code line; keep lines that are inside strings.
            var s = current[...]
            while let f = s.first, f == UInt8(ascii: " ") { s = s.dropFirst() }
            while let l = s.last, l == UInt8(ascii: " ") { s = s.dropLast() }
            if !s.isEmpty { lines.append(Array(s)) }
            current.removeAll(keepingCapacity: true)
        }
        for p in pieces {
            if p.byte == UInt8(ascii: "\n") && !p.inString { flush() } else { current.append(p.byte) }
        }
        flush()
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }
}

extension SwiftCode {
    private static let identifierBytes: Set<UInt8> = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_".utf8))

    /// Every call of a method named in `names` (by default the notebook's cache methods), found
    /// lexically as `.name(` … `)` plus an optional trailing closure `{ … }`.
    public func cachedCalls(named names: Set<String> = ["cached", "cachedDirectory"]) -> [CachedCall] {
        var calls: [CachedCall] = []
        var i = 0
        let n = pieces.count
        func isCode(_ j: Int) -> Bool { j < n && !pieces[j].inString }
        func skipSpace(_ j: Int) -> Int {
            var k = j
            while k < n, isCode(k), pieces[k].byte == UInt8(ascii: " ") || pieces[k].byte == UInt8(ascii: "\n") { k += 1 }
            return k
        }
        func matching(_ j: Int, open: UInt8, close: UInt8) -> Int? {
            var depth = 0
            var k = j
            while k < n {
                if isCode(k) {
                    if pieces[k].byte == open { depth += 1 } else if pieces[k].byte == close { depth -= 1; if depth == 0 { return k } }
                }
                k += 1
            }
            return nil
        }
        while i < n {
            guard isCode(i), pieces[i].byte == UInt8(ascii: ".") else { i += 1; continue }
            var j = skipSpace(i + 1)
            var name: [UInt8] = []
            while j < n, isCode(j), SwiftCode.identifierBytes.contains(pieces[j].byte) { name.append(pieces[j].byte); j += 1 }
            guard names.contains(String(decoding: name, as: UTF8.self)) else { i += 1; continue }
            // Allow explicit generic arguments: `.cached<Int>(`… is unusual but legal.
            j = skipSpace(j)
            guard isCode(j), pieces[j].byte == UInt8(ascii: "("), let closeParen = matching(j, open: UInt8(ascii: "("), close: UInt8(ascii: ")")) else { i += 1; continue }
            var end = closeParen
            let afterParen = skipSpace(closeParen + 1)
            if isCode(afterParen), pieces[afterParen].byte == UInt8(ascii: "{"),
               let closeBrace = matching(afterParen, open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) {
                end = closeBrace
            }
            let range = i..<(end + 1)
            calls.append(CachedCall(lines: pieces[i].line...pieces[end].line, code: SwiftCode.render(pieces[range]), pieceRange: range))
            i = end + 1
        }
        return calls
    }

    /// The code outside every cached call: what every cached step of the file depends on.
    public func codeOutsideCachedCalls() -> String {
        normalized(excluding: cachedCalls().map(\.pieceRange))
    }
}
