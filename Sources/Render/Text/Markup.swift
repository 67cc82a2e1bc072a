/// Helpers for Pango markup strings.
public enum Markup {
    /// Escapes `& < > "` so arbitrary text is safe inside markup.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// The text a reader sees: tags removed and the five XML entities decoded.
    public static func plainText(_ markup: String) -> String {
        var out = "", inTag = false, entity: String? = nil
        for c in markup {
            if inTag { if c == ">" { inTag = false }; continue }
            if var e = entity {
                if c == ";" {
                    switch e {
                    case "amp": out += "&"
                    case "lt": out += "<"
                    case "gt": out += ">"
                    case "quot": out += "\""
                    case "apos": out += "'"
                    default: out += "&" + e + ";"
                    }
                    entity = nil
                } else { e.append(c); entity = e }
                continue
            }
            if c == "<" { inTag = true } else if c == "&" { entity = "" } else { out.append(c) }
        }
        if let e = entity { out += "&" + e }
        return out
    }

    /// Wraps markup in a span with a foreground colour.
    public static func colored(_ markup: String, _ color: Color) -> String {
        "<span foreground=\"\(color.hexString)\">\(markup)</span>"
    }
}
