import Foundation

/// A residual block y = F(x) + x (He et al., 2016): the main path F, the shortcut (identity, or a
/// 1×1 projection when the shape changes), the addition node and the final ReLU.
public struct ResidualBlockDiagram: Graphic {
    public enum Shortcut: Sendable, Equatable {
        case identity
        /// A projection with its label, e.g. "1×1 conv, 128, /2".
        case projection(String)
    }
    public var title: String?
    /// The layers of F(x), top to bottom, e.g. ["3×3 conv, 64", "BN, ReLU", "3×3 conv, 64", "BN"].
    public var mainPath: [String]
    public var shortcut: Shortcut
    public var inputLabel: String
    public var preferredSize: Size

    public init(title: String? = nil, mainPath: [String] = ["3×3 conv, 64", "BN, ReLU", "3×3 conv, 64", "BN"],
                shortcut: Shortcut = .identity, inputLabel: String = "x", size: Size = Size(290, 280)) {
        self.title = title; self.mainPath = mainPath; self.shortcut = shortcut; self.inputLabel = inputLabel; self.preferredSize = size
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        let rows = Double(mainPath.count + 3)
        let step = r.height / rows
        let boxH = min(24, step * 0.68), boxW = min(120, r.width * 0.5)
        let cx = r.minX + r.width * 0.4
        let input = Point(cx, r.minY + step * 0.4)
        b.text(TextBlock(markup: "<i>\(Markup.escape(inputLabel))</i>", font: Font(.serif, size: 11), color: theme.ink), at: input, anchor: (0.5, 0.5))
        var y = r.minY + step * 1.3
        var last = Point(cx, input.y + 7)
        let split = Point(cx, input.y + 10)
        for (i, name) in mainPath.enumerated() {
            let kind: BlockKind = name.lowercased().contains("conv") ? .conv : (name.contains("BN") || name.lowercased().contains("norm")) ? .norm : .activation
            let box = drawBox(Markup.escape(name), kind: kind, center: Point(cx, y), size: Size(boxW, boxH), on: b)
            b.arrow(last, Point(cx, box.minY), color: theme.axis, width: 0.9, head: 4.5)
            last = Point(cx, box.maxY)
            if i == mainPath.count / 2 {
                b.text(TextBlock(markup: "<i>F</i>(<i>x</i>)", font: Font(.serif, size: 10), color: theme.color(0)), at: Point(box.minX - 8, box.midY), anchor: (1, 0.5))
            }
            y += step
        }
        let plus = Point(cx, y - step * 0.1)
        let radius = 8.0
        b.arrow(last, Point(cx, plus.y - radius), color: theme.axis, width: 0.9, head: 4.5)
        b.fill(.circle(center: plus, radius: radius), color: .white)
        b.stroke(.circle(center: plus, radius: radius), style: StrokeStyle(color: theme.axis, width: 1))
        b.line(Point(cx - 5, plus.y), Point(cx + 5, plus.y), StrokeStyle(color: theme.axis, width: 1.2))
        b.line(Point(cx, plus.y - 5), Point(cx, plus.y + 5), StrokeStyle(color: theme.axis, width: 1.2))
        // The shortcut leaves x to the right, runs down, and enters ⊕ from the right.
        let sx = min(r.maxX - 48, cx + boxW / 2 + 52)
        let shortcutColor = theme.color(1)
        var path = Path()
        path.move(to: split); path.line(to: Point(sx, split.y)); path.line(to: Point(sx, plus.y))
        switch shortcut {
        case .identity:
            b.stroke(path, style: StrokeStyle(color: shortcutColor, width: 1.2))
            b.arrow(Point(sx, plus.y), Point(cx + radius, plus.y), color: shortcutColor, width: 1.2, head: 5)
            b.text(TextBlock(markup: "identity\n<i>x</i>", font: Font(.sans, size: 8), color: shortcutColor, alignment: .center),
                   at: Point(sx + 4, (split.y + plus.y) / 2), anchor: (0, 0.5))
        case .projection(let label):
            let mid = (split.y + plus.y) / 2
            let box = drawBox(Markup.escape(label), kind: .conv, center: Point(sx, mid), size: Size(min(92, (r.maxX - sx) * 2 - 4), boxH * 1.3), on: b, font: Font(.sans, size: 7.5))
            var top = Path(); top.move(to: split); top.line(to: Point(sx, split.y))
            b.stroke(top, style: StrokeStyle(color: shortcutColor, width: 1.2))
            b.arrow(Point(sx, split.y), Point(sx, box.minY), color: shortcutColor, width: 1.2, head: 4.5)
            var down = Path(); down.move(to: Point(sx, box.maxY)); down.line(to: Point(sx, plus.y))
            b.stroke(down, style: StrokeStyle(color: shortcutColor, width: 1.2))
            b.arrow(Point(sx, plus.y), Point(cx + radius, plus.y), color: shortcutColor, width: 1.2, head: 5)
        }
        let relu = drawBox("ReLU", kind: .activation, center: Point(cx, plus.y + step * 0.75), size: Size(boxW * 0.6, boxH * 0.85), on: b)
        b.arrow(Point(cx, plus.y + radius), Point(cx, relu.minY), color: theme.axis, width: 0.9, head: 4.5)
        let formula = shortcut == .identity ? "<i>y</i> = <i>F</i>(<i>x</i>) + <i>x</i>" : "<i>y</i> = <i>F</i>(<i>x</i>) + <i>W</i><sub>s</sub><i>x</i>"
        b.text(TextBlock(markup: formula, font: Font(.serif, size: 10), color: theme.ink), at: Point(relu.maxX + 10, relu.midY), anchor: (0, 0.5))
    }
}

/// A dense block (Huang et al., 2017): every layer receives the concatenation of all earlier
/// feature maps; channel counts grow by the growth rate k per layer.
public struct DenseBlockDiagram: Graphic {
    public var title: String?
    public var inputChannels: Int
    public var growthRate: Int
    public var layers: Int
    public var preferredSize: Size

    public init(title: String? = nil, inputChannels: Int = 64, growthRate: Int = 32, layers: Int = 4, size: Size = Size(470, 220)) {
        precondition(layers >= 1, "DenseBlockDiagram: layers \(layers) must be at least 1")
        self.title = title; self.inputChannels = inputChannels; self.growthRate = growthRate; self.layers = layers; self.preferredSize = size
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        let n = layers + 2 // input, H_1…H_L, transition
        let step = r.width / Double(n)
        let boxW = min(78, step * 0.8), boxH = min(42, r.height * 0.25)
        let cy = r.maxY - boxH / 2 - 26
        var centers: [Point] = []
        for i in 0..<n {
            let c = Point(r.minX + step * (Double(i) + 0.5), cy)
            centers.append(c)
            let label: String, kind: BlockKind, channels: String
            if i == 0 { label = "<i>x</i><sub>0</sub>"; kind = .input; channels = "\(inputChannels) ch" }
            else if i == n - 1 { label = "transition\n<span size=\"smaller\">1×1 conv + pool</span>"; kind = .pool; channels = "\(inputChannels + layers * growthRate) ch in" }
            else { label = "<i>H</i><sub>\(i)</sub>\n<span size=\"smaller\">BN-ReLU-Conv</span>"; kind = .conv; channels = "in \(inputChannels + (i - 1) * growthRate) ch" }
            let box = drawBox(label, kind: kind, center: c, size: Size(boxW, boxH), on: b, font: Font(.sans, size: 8))
            b.text(TextBlock(plain: channels, font: Font(.sans, size: 7), color: theme.muted), at: Point(c.x, box.maxY + 3), anchor: (0.5, 0))
            if i > 0 { b.arrow(Point(centers[i - 1].x + boxW / 2, cy), Point(c.x - boxW / 2, cy), color: theme.axis, width: 0.9, head: 4) }
        }
        // Concatenation arrows: from the output of node j over the top into every later node.
        let arcTop = r.minY + 4
        for j in 0..<(n - 2) {
            let color = theme.color(j)
            for i in (j + 2)..<n {
                let a = Point(centers[j].x + boxW * 0.15, cy - boxH / 2), z = Point(centers[i].x - boxW * 0.15 + Double(j) * 3, cy - boxH / 2)
                let h = (cy - boxH / 2 - arcTop) * min(1, 0.35 + 0.65 * Double(i - j - 1) / Double(max(n - 2, 1)))
                var p = Path()
                p.move(to: a)
                p.curve(to: Point(z.x, z.y - 5), control1: Point(a.x, a.y - h), control2: Point(z.x, z.y - h))
                b.stroke(p, style: StrokeStyle(color: color.withAlpha(0.85), width: 0.9))
                b.arrow(Point(z.x, z.y - 6), z, color: color, width: 0.9, head: 3.5)
            }
        }
        b.text(TextBlock(markup: "<i>x</i><sub>ℓ</sub> = <i>H</i><sub>ℓ</sub>([<i>x</i><sub>0</sub>, <i>x</i><sub>1</sub>, …, <i>x</i><sub>ℓ−1</sub>])   growth rate <i>k</i> = \(growthRate)",
                         font: Font(.serif, size: 9), color: theme.ink), at: Point(r.midX, r.maxY), anchor: (0.5, 1))
    }
}

/// An inception module (Szegedy et al., 2015): four parallel branches joined by filter
/// concatenation; `.bottleneck` adds the 1×1 reductions before the 3×3 and 5×5 convolutions and
/// after the pooling.
public struct InceptionModuleDiagram: Graphic {
    public enum Variant: Sendable { case naive, bottleneck }
    public var title: String?
    public var variant: Variant
    /// Output channels of the 1×1, 3×3, 5×5 and pool branches, and the 3×3/5×5 reductions (GoogLeNet's 3a by default).
    public var channels: (c1: Int, c3: Int, c5: Int, pool: Int, r3: Int, r5: Int)
    public var preferredSize: Size

    public init(title: String? = nil, variant: Variant, channels: (c1: Int, c3: Int, c5: Int, pool: Int, r3: Int, r5: Int) = (64, 128, 32, 32, 96, 16),
                size: Size = Size(400, 240)) {
        self.title = title; self.variant = variant; self.channels = channels; self.preferredSize = size
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        let r = diagramTitle(title, in: rect, on: b, theme: theme)
        let colW = r.width / 4
        let boxW = min(84, colW * 0.86), boxH = min(26, r.height / 7)
        let bottom = drawBox("previous layer", kind: .input, center: Point(r.midX, r.maxY - boxH / 2), size: Size(boxW * 1.6, boxH), on: b)
        let top = drawBox("filter concatenation", kind: .concat, center: Point(r.midX, r.minY + boxH / 2), size: Size(boxW * 2.2, boxH), on: b)
        let c = channels
        let branches: [[(String, BlockKind)]] = variant == .naive
            ? [[("1×1 conv, \(c.c1)", .conv)], [("3×3 conv, \(c.c3)", .conv)], [("5×5 conv, \(c.c5)", .conv)], [("3×3 max pool", .pool)]]
            : [[("1×1 conv, \(c.c1)", .conv)], [("1×1 conv, \(c.r3)", .norm), ("3×3 conv, \(c.c3)", .conv)],
               [("1×1 conv, \(c.r5)", .norm), ("5×5 conv, \(c.c5)", .conv)], [("3×3 max pool", .pool), ("1×1 conv, \(c.pool)", .norm)]]
        let span = bottom.minY - top.maxY
        for (k, branch) in branches.enumerated() {
            let x = r.minX + colW * (Double(k) + 0.5)
            var below = Point(x, bottom.minY)
            b.line(Point(bottom.midX + (x - r.midX) * 0.3, bottom.minY), Point(x, bottom.minY - span * 0.12), StrokeStyle(color: theme.axis, width: 0.8))
            below = Point(x, bottom.minY - span * 0.12)
            for (j, (label, kind)) in branch.enumerated() {
                let cy = bottom.minY - span * (branch.count == 1 ? 0.5 : (j == 0 ? 0.33 : 0.67))
                let box = drawBox(label, kind: kind, center: Point(x, cy), size: Size(boxW, boxH), on: b, font: Font(.sans, size: 7.5))
                if j > 0 || branch.count >= 1 { b.arrow(below, Point(x, box.maxY), color: theme.axis, width: 0.8, head: 3.5) }
                below = Point(x, box.minY)
            }
            b.arrow(below, Point(top.midX + (x - r.midX) * 0.3, top.maxY), color: theme.axis, width: 0.8, head: 3.5)
        }
        if variant == .bottleneck {
            b.text(TextBlock(plain: "1×1 reductions", font: theme.noteFont, color: BlockKind.norm.colors.stroke), at: Point(r.maxX, top.maxY + 2), anchor: (1, 0))
        }
    }
}
