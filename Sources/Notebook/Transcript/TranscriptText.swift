// The readable form of recorded outputs: what `course run` prints and what `//>` snapshot lines
// hold. One function per kind, so stdout and snapshots can never disagree.
import Foundation

/// Text formatting of recorded outputs.
public enum TranscriptText {
    /// `x` with 4 significant digits: fixed notation for 1e-4 ≤ |x| < 1e6, else `%.3e`
    /// (micrograd prints `.4f`; significant digits keep tiny losses readable). Stable across machines.
    ///
    /// ```swift
    /// TranscriptText.number(0.5)          // "0.5000"
    /// TranscriptText.number(105_415_200)  // "1.054e+08"
    /// ```
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == 0 { return "0" }
        let magnitude = abs(x)
        guard magnitude >= 1e-4, magnitude < 1e6 else { return String(format: "%.3e", x) }
        var decimals = max(0, 3 - Int(floor(log10(magnitude))))
        var text = String(format: "%.*f", decimals, x)
        // 9.99996 rounds to "10.0000" with 4 decimals: one decimal fewer keeps 4 significant digits.
        if decimals > 0, let rounded = Double(text), abs(rounded) >= pow(10, Double(4 - decimals)) {
            decimals -= 1
            text = String(format: "%.*f", decimals, x)
        }
        return text
    }

    /// The text of a shown value: floating-point numbers (and arrays of them) at 4 significant
    /// digits, everything else through `description`.
    public static func value(_ value: Any) -> String {
        switch value {
        case let x as Double: number(x)
        case let x as Float: number(Double(x))
        case let xs as [Double]: "[" + xs.map(number).joined(separator: ", ") + "]"
        case let xs as [Float]: "[" + xs.map { number(Double($0)) }.joined(separator: ", ") + "]"
        case let v as CustomStringConvertible: v.description
        default: String(describing: value)
        }
    }

    /// Display width in terminal cells: CJK ideographs, kana, Hangul and full-width forms count 2.
    public static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { sum, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return sum + (wide ? 2 : (u.properties.generalCategory == .nonspacingMark ? 0 : 1))
        }
    }

    private static func pad(_ s: String, to w: Int, right: Bool) -> String {
        let fill = String(repeating: " ", count: max(0, w - width(s)))
        return right ? fill + s : s + fill
    }

    /// Lines of an aligned text table; columns whose cells all parse as numbers are right-aligned.
    public static func table(_ t: TableRecord) -> [String] {
        let columns = max(t.header.count, t.rows.map(\.count).max() ?? 0)
        func cell(_ row: [String], _ c: Int) -> String { c < row.count ? row[c] : "" }
        let widths = (0..<columns).map { c in ([t.header] + t.rows).map { width(cell($0, c)) }.max() ?? 0 }
        let numeric = (0..<columns).map { c in
            !t.rows.isEmpty && t.rows.allSatisfy { Double(cell($0, c).replacingOccurrences(of: ",", with: "")) != nil }
        }
        func line(_ row: [String]) -> String {
            (0..<columns).map { pad(cell(row, $0), to: widths[$0], right: numeric[$0]) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var lines = [line(t.header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += t.rows.map(line)
        return lines
    }

    /// The lines of one output as printed and as recorded in `//>` snapshots.
    public static func lines(_ content: OutputContent, language: Language) -> [String] {
        switch content {
        case let .value(label, text):
            let body = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let label else { return body }
            if body.count == 1 { return ["\(label): \(body[0])"] }
            return ["\(label):"] + body.map { "  " + $0 }
        case let .table(t):
            let caption = t.caption.map { ["Table: \($0.text(for: language))"] } ?? []
            return caption + table(t)
        case let .figure(f):
            return ["Figure: \(f.name) — \(f.caption.text(for: language))" + (f.exists ? "" : " (file missing)")]
        case let .note(text):
            return ["Note: \(text.text(for: language))"]
        case let .exercise(e):
            return ["Exercise: \(e.prompt.text(for: language))" + (e.grader.map { " [graded: \($0)]" } ?? "")]
        }
    }

    /// Whether an output belongs in `//>` snapshots. Notes and exercises do not: their text is
    /// already in the source, and it differs between the two languages.
    public static func isSnapshotted(_ content: OutputContent) -> Bool {
        switch content {
        case .value, .table, .figure: true
        case .note, .exercise: false
        }
    }
}
