import Foundation

/// Receptive fields of stacked convolutions drawn as pyramids of grids: each stack of kernel sizes
/// (stride 1) shows the input window one output unit sees, e.g. two 3×3 layers and one 5×5 layer
/// both see 5×5, with 2·9 = 18 versus 25 weights per channel pair.
public struct ReceptiveFieldDiagram: Graphic {
    public var title: String?
    public var stacks: [[Int]]
    public var preferredSize: Size

    public init(title: String? = nil, stacks: [[Int]] = [[3, 3], [5]], size: Size = Size(420, 230)) {
        for s in stacks { precondition(s.allSatisfy { $0 >= 1 }, "ReceptiveFieldDiagram: kernel sizes \(s) must be ≥ 1") }
        self.title = title; self.stacks = stacks; self.preferredSize = size
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        guard !stacks.isEmpty else { return }
        let w = r.width / Double(stacks.count)
        for (si, kernels) in stacks.enumerated() {
            let area = Rect(x: r.minX + w * Double(si), y: r.minY, width: w, height: r.height).inset(left: 8, right: 8)
            let field = 1 + kernels.reduce(0) { $0 + $1 - 1 }
            // Layer sizes from input (bottom) to the single output unit (top).
            var sizes = [field]
            for k in kernels { sizes.append(sizes.last! - (k - 1)) }
            let captionH = 30.0
            let levels = Double(sizes.count)
            let gap = (area.height - captionH) / levels
            let cell = min(area.width * 0.75 / Double(field), gap * 0.8 / Double(field) * 1.6, 16)
            var previous: Rect? = nil
            for (li, n) in sizes.enumerated() {
                let cy = area.minY + (area.height - captionH) - gap * (Double(li) + 0.5)
                // Grids are drawn flattened (height × 0.5) to read as layers seen at an angle.
                let gw = cell * Double(n), gh = cell * Double(n) * 0.5
                let g = Rect(x: area.midX - gw / 2, y: cy - gh / 2, width: gw, height: gh)
                let fill = li == 0 ? theme.color(0).withAlpha(0.18) : li == sizes.count - 1 ? theme.color(1).withAlpha(0.55) : theme.color(2).withAlpha(0.22)
                b.fillRect(g, fill)
                for i in 0...n {
                    b.line(Point(g.minX + cell * Double(i), g.minY), Point(g.minX + cell * Double(i), g.maxY), StrokeStyle(color: theme.axis, width: 0.5))
                    b.line(Point(g.minX, g.minY + gh * Double(i) / Double(n)), Point(g.maxX, g.minY + gh * Double(i) / Double(n)), StrokeStyle(color: theme.axis, width: 0.5))
                }
                if let p = previous {
                    for (a, c) in [(Point(p.minX, p.midY), Point(g.minX, g.midY)), (Point(p.maxX, p.midY), Point(g.maxX, g.midY))] {
                        b.line(a, c, StrokeStyle(color: theme.muted, width: 0.6, dash: [2, 2]))
                    }
                }
                let label = li == 0 ? "input \(n)×\(n)" : "\(kernels[li - 1])×\(kernels[li - 1]) conv → \(n)×\(n)"
                b.text(TextBlock(plain: label, font: Font(.sans, size: 7.5), color: theme.ink), at: Point(g.maxX + 6, g.midY), anchor: (0, 0.5))
                previous = g
            }
            let weights = kernels.map { $0 * $0 }.reduce(0, +)
            let caption = "\(kernels.count) × " + Set(kernels).sorted().map { "\($0)×\($0)" }.joined(separator: ", ")
                + ": receptive field \(field)×\(field), \(weights)<i>C</i><sup>2</sup> weights"
            b.text(TextBlock(markup: caption, font: Font(.sans, size: 8), color: theme.ink, width: area.width, alignment: .center),
                   at: Point(area.minX, area.maxY - captionH + 6))
        }
    }
}

/// The cross-channel window of local response normalisation (Krizhevsky et al., 2012):
/// b_i = a_i / (k + α Σ_{j} a_j²)^β with j over max(0, i − n/2) … min(N − 1, i + n/2).
public struct LRNWindowDiagram: Graphic {
    public var title: String?
    public var channels: Int
    public var size: Int
    public var focus: Int
    public var preferredSize: Size

    public init(title: String? = nil, channels: Int = 8, size: Int = 5, focus: Int = 3, preferredSize: Size = Size(400, 190)) {
        precondition(channels >= 1 && size >= 1, "LRNWindowDiagram: channels \(channels) and size \(size) must be ≥ 1")
        precondition(focus >= 0 && focus < channels, "LRNWindowDiagram: focus \(focus) outside 0..<\(channels)")
        self.title = title; self.channels = channels; self.size = size; self.focus = focus; self.preferredSize = preferredSize
    }

    /// The channels summed for the focus channel.
    public var window: ClosedRange<Int> { max(0, focus - size / 2)...min(channels - 1, focus + size / 2) }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        let formulaH = 40.0
        let area = r.inset(bottom: formulaH)
        let step = area.width / Double(channels + 1)
        let side = min(step * 0.8, area.height * 0.55)
        let depth = side * 0.35
        for c in 0..<channels {
            let x = area.minX + step * (Double(c) + 0.5), y = area.midY - side / 2
            let inWindow = window.contains(c)
            let fill = c == focus ? theme.color(1).withAlpha(0.75) : inWindow ? theme.color(0).withAlpha(0.35) : Color(hex: 0xEEEEEE)
            // A channel slice as a parallelogram (a feature map seen edge-on).
            let quad = [Point(x, y + depth), Point(x + side * 0.45, y), Point(x + side * 0.45, y + side - depth), Point(x, y + side)]
            b.fill(.polygon(quad), color: fill)
            b.stroke(.polygon(quad), style: StrokeStyle(color: theme.axis, width: 0.7))
            b.text(TextBlock(markup: "<i>a</i><sub>\(c)</sub>", font: Font(.serif, size: 8.5), color: theme.ink), at: Point(x + side * 0.22, y + side + 3), anchor: (0.5, 0))
        }
        let x0 = area.minX + step * (Double(window.lowerBound) + 0.5) - 3
        let x1 = area.minX + step * (Double(window.upperBound) + 0.5) + side * 0.45 + 3
        let by = area.midY - side / 2 - 6
        var brace = Path(); brace.move(to: Point(x0, by + 4)); brace.line(to: Point(x0, by)); brace.line(to: Point(x1, by)); brace.line(to: Point(x1, by + 4))
        b.stroke(brace, style: StrokeStyle(color: theme.color(0), width: 1))
        b.text(TextBlock(plain: "window n = \(size) around channel \(focus)", font: Font(.sans, size: 8), color: theme.color(0)), at: Point((x0 + x1) / 2, by - 2), anchor: (0.5, 1))
        let formula = "<i>b</i><sub>i</sub> = <i>a</i><sub>i</sub> / (<i>k</i> + <i>α</i> Σ<sub>j</sub> <i>a</i><sub>j</sub><sup>2</sup>)<sup><i>β</i></sup>\n"
            + "<i>j</i> = max(0, <i>i</i>−<i>n</i>/2) … min(<i>N</i>−1, <i>i</i>+<i>n</i>/2);   here <i>i</i> = \(focus): <i>j</i> = \(window.lowerBound) … \(window.upperBound)"
        b.text(TextBlock(markup: formula, font: Font(.serif, size: 9), color: theme.ink, width: r.width, alignment: .center), at: Point(r.minX, r.maxY - formulaH + 8))
    }
}
