/// An integer with thousands separators, as torchinfo and the lecture's tables print counts:
/// 25557032 → "25,557,032", -1234 → "-1,234". The one formatter that summaries, lessons and
/// progress lines share.
public func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, ch) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}
