import Foundation

/// An environment or I/O failure while rendering: a missing glyph, an unknown font, a Cairo error,
/// a file that could not be written. The message names what and where; `hint` says how to fix it.
public struct RenderError: Error, CustomStringConvertible, Equatable {
    enum Kind: Equatable {
        case missingGlyph(scalar: UInt32, text: String, location: String)
        case unknownFont(family: String)
        case cairo(status: String, operation: String)
        case io(path: String, reason: String)
        case unknownReference(label: String, location: String)
        case invalidInput(String)
    }
    let kind: Kind

    /// The Unicode scalar without a glyph, if that is what failed.
    public var missingScalar: UInt32? {
        if case .missingGlyph(let s, _, _) = kind { return s }
        return nil
    }

    public var description: String {
        switch kind {
        case let .missingGlyph(s, text, location):
            let hex = String(s, radix: 16, uppercase: true)
            let pad = String(repeating: "0", count: max(0, 4 - hex.count))
            return "render: no font has a glyph for U+\(pad)\(hex) '\(Character(Unicode.Scalar(s) ?? "?"))' in \"\(text)\" (\(location))\n"
                + "hint: replace the character, or install a font that covers it and add it to the theme's family list"
        case let .unknownFont(family):
            return "render: font family '\(family)' is not installed\nhint: `fc-list : family` lists the installed families; `make deps` installs fonts-noto-cjk and fonts-dejavu-core"
        case let .cairo(status, op):
            return "render: Cairo failed in \(op): \(status)"
        case let .io(path, reason):
            return "render: cannot write \(path): \(reason)"
        case let .unknownReference(label, location):
            return "render: cross-reference @\(label) (\(location)) names no figure, table or heading\nhint: give the target `label: \"\(label)\"`"
        case let .invalidInput(message):
            return "render: \(message)"
        }
    }
    static func missingGlyph(_ s: UInt32, text: String, location: String) -> RenderError { .init(kind: .missingGlyph(scalar: s, text: text, location: location)) }
    static func unknownFont(_ f: String) -> RenderError { .init(kind: .unknownFont(family: f)) }
    static func cairo(_ status: String, _ op: String) -> RenderError { .init(kind: .cairo(status: status, operation: op)) }
    static func io(_ path: String, _ reason: String) -> RenderError { .init(kind: .io(path: path, reason: reason)) }
}
