// A TeX subset for the formulas the lecture uses, rendered as Pango markup: italic Latin letters,
// Greek letters and operators as Unicode, `^`/`_` as superscripts and subscripts. Pango places a
// subscript and a superscript on one symbol side by side (not stacked); that is how the handouts
// print Σ with its limits, which stays readable for the lecture's formulas.
import Foundation
import Render

/// Converts TeX math (`b_{x,y}^i = a^i / (k + \alpha \sum_j (a^j)^2)^\beta`) to Pango markup.
///
/// Supported: `^x`, `^{…}`, `_x`, `_{…}`, Greek letters, `\sum \prod \times \cdot \le \ge \ne
/// \approx \to \infty \ldots \lfloor \rfloor \lceil \rceil \leftarrow \sim …` (see `symbols`),
/// `\max \min \log \exp \ln`, accents `\hat \bar \tilde \dot \vec` (a combining mark after the
/// symbol), `\frac{a}{b}` (as a/b), `\sqrt{x}`, `\text{…}`, `\mathrm{…}`, `\left`/`\right` (dropped),
/// `\,`, `\quad` and `\qquad`. An unknown command is printed as its name, so nothing silently disappears.
public enum TeXMath {
    static let symbols: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π",
        "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
        "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Sigma": "Σ", "Pi": "Π", "Phi": "Φ", "Omega": "Ω",
        "sum": "Σ", "prod": "Π", "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
        "ne": "≠", "neq": "≠", "approx": "≈", "to": "→", "rightarrow": "→", "infty": "∞", "ldots": "…",
        "cdots": "⋯", "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "partial": "∂", "nabla": "∇",
        "in": "∈", "pm": "±", "{": "{", "}": "}", ",": "\u{2009}", ";": " ", "quad": "  ", " ": " ",
        "qquad": "    ", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔",
        "mapsto": "↦", "sim": "∼", "propto": "∝", "ll": "≪", "gg": "≫", "equiv": "≡", "forall": "∀", "exists": "∃",
        "odot": "⊙", "otimes": "⊗", "circ": "∘", "ell": "ℓ", "prime": "′", "dots": "…", "mid": "|", "|": "‖",
        "Vert": "‖", "lVert": "‖", "rVert": "‖", "langle": "⟨", "rangle": "⟩", "cap": "∩", "cup": "∪",
        "subset": "⊂", "subseteq": "⊆", "emptyset": "∅", "neg": "¬", "wedge": "∧", "vee": "∨",
    ]
    /// Accents: the combining mark placed after the accented symbol.
    static let accents: [String: Character] = [
        "hat": "\u{0302}", "widehat": "\u{0302}", "bar": "\u{0304}", "overline": "\u{0305}", "tilde": "\u{0303}",
        "widetilde": "\u{0303}", "dot": "\u{0307}", "ddot": "\u{0308}", "vec": "\u{20D7}",
    ]
    static let operators: Set<String> = ["max", "min", "log", "exp", "ln", "sin", "cos", "tanh", "arg", "lim"]

    /// Pango markup for `tex`, in the serif face.
    public static func markup(_ tex: String) -> String {
        var parser = Parser(chars: Array(tex))
        return "<span font_family=\"\(FontRole.serif.familyList)\">" + parser.sequence(topLevel: true, until: nil) + "</span>"
    }

    struct Parser {
        let chars: [Character]
        var i = 0

        /// Parses until `until` (a closing brace) or the end.
        mutating func sequence(topLevel: Bool, until close: Character?) -> String {
            var out = ""
            while i < chars.count {
                let c = chars[i]
                if let close, c == close { i += 1; return out }
                out += atom(topLevel: topLevel)
            }
            return out
        }

        /// One group: `{…}` or a single atom.
        mutating func group() -> String {
            while i < chars.count, chars[i] == " " { i += 1 }   // TeX skips spaces before an argument
            guard i < chars.count else { return "" }
            if chars[i] == "{" { i += 1; return sequence(topLevel: false, until: "}") }
            return atom(topLevel: false)
        }

        mutating func atom(topLevel: Bool) -> String {
            let c = chars[i]
            i += 1
            switch c {
            case "^": return "<sup>" + group() + "</sup>"
            case "_": return "<sub>" + group() + "</sub>"
            case "{": return sequence(topLevel: false, until: "}")
            case "\\": return command()
            case " ": return ""
            case "=", "+", "<", ">": return topLevel ? " " + Markup.escape(String(c)) + " " : Markup.escape(String(c))
            case "-": return topLevel ? " − " : "−"
            case "&": return "&amp;"
            default:
                if c.isASCII && c.isLetter { return "<i>\(c)</i>" }
                return Markup.escape(String(c))
            }
        }

        mutating func command() -> String {
            guard i < chars.count else { return "\\" }
            var name = ""
            if chars[i].isLetter {
                while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
            } else {
                name = String(chars[i]); i += 1
            }
            switch name {
            case "left", "right", "big", "Big", "displaystyle": return ""
            case "frac":
                let a = group(), b = group()
                return wrap(a) + "/" + wrap(b)
            case "sqrt": return "√(" + group() + ")"
            case "text", "mathrm", "operatorname": return plainGroup()
            case "mathbf": return "<b>" + group() + "</b>"
            case "mathcal", "mathit", "boldsymbol": return group()
            default:
                if let mark = accents[name] {
                    // Inside the symbol's own tags, so the mark combines with it in the same face.
                    var body = group()
                    if body.hasSuffix("</i>") { body.insert(mark, at: body.index(body.endIndex, offsetBy: -4)) } else { body.append(mark) }
                    return body
                }
                if let s = symbols[name] { return Markup.escape(s) }
                if operators.contains(name) { return name }
                return Markup.escape("\\" + name)
            }
        }

        /// A `{…}` group printed upright, as written.
        mutating func plainGroup() -> String {
            guard i < chars.count, chars[i] == "{" else { return "" }
            i += 1
            var s = ""
            while i < chars.count, chars[i] != "}" { s.append(chars[i]); i += 1 }
            i += 1
            return Markup.escape(s)
        }

        /// Parenthesises a fraction's part unless it is a single symbol.
        func wrap(_ markup: String) -> String {
            Markup.plainText(markup).count <= 1 ? markup : "(" + markup + ")"
        }
    }
}
