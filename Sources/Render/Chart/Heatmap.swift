import Foundation

/// A heatmap with a colour bar (feature maps, effective receptive fields, confusion matrices).
/// Row 0 is drawn at the top, like an image. Non-finite cells are grey and counted in a note.
public struct Heatmap: Graphic {
    public var title: String?
    public var grid: Grid
    public var colormap: Colormap
    /// Colour-bar range; nil uses the data's range (symmetric about 0 for `.diverging`).
    public var range: ClosedRange<Double>?
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var colorBarLabel: String?
    /// Print each cell's value (for small matrices).
    public var showValues: Bool
    public var preferredSize: Size

    public init(title: String? = nil, grid: Grid, colormap: Colormap = .viridis, range: ClosedRange<Double>? = nil,
                rowLabels: [String] = [], columnLabels: [String] = [], colorBarLabel: String? = nil,
                showValues: Bool = false, size: Size = Size(300, 260)) {
        self.title = title; self.grid = grid; self.colormap = colormap; self.range = range; self.rowLabels = rowLabels
        self.columnLabels = columnLabels; self.colorBarLabel = colorBarLabel; self.showValues = showValues; self.preferredSize = size
    }

    var valueRange: (lo: Double, hi: Double) {
        if let r = range { return (r.lowerBound, r.upperBound) }
        var (lo, hi) = grid.finiteRange
        if colormap == .diverging { let m = max(abs(lo), abs(hi)); lo = -m; hi = m }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        return (lo, hi)
    }

    public func draw(in rect: Rect, on b: any RenderBackend, theme: Theme) {
        var r = rect.inset(by: 6)
        if let title, !title.isEmpty {
            let t = TextBlock(plain: title, font: theme.titleFont, color: theme.ink, width: r.width, alignment: .center)
            b.text(t, at: Point(r.minX, r.minY))
            r = r.inset(top: b.measurer.measure(t).height + 6)
        }
        let bad = grid.values.filter { !$0.isFinite }.count
        if let note = skippedNote(bad, what: "non-finite") {
            let n = b.text(TextBlock(plain: note.replacingOccurrences(of: "skipped", with: "shown grey"), font: theme.noteFont, color: Color(hex: 0xB04A00)), at: Point(r.minX, r.maxY), anchor: (0, 1))
            r = r.inset(bottom: n.height + 2)
        }
        let (lo, hi) = valueRange
        let barTicks = Ticks.linear(lo, hi, target: 5, snap: false).ticks
        let tickW = barTicks.map { b.measurer.measure(TextBlock(plain: Ticks.label($0), font: theme.tickFont)).width }.max() ?? 0
        let labelW = colorBarLabel.map { b.measurer.measure(TextBlock(plain: $0, font: theme.labelFont)).height + 4 } ?? 0
        let rowW = rowLabels.map { b.measurer.measure(TextBlock(plain: clipped($0, 20), font: theme.tickFont)).width }.max().map { $0 + 4 } ?? 0
        let colH = columnLabels.isEmpty ? 0 : (b.measurer.measure(TextBlock(plain: "Ag", font: theme.tickFont)).height + 3)
        let avail = r.inset(top: 0, left: rowW, bottom: colH, right: 14 + 6 + tickW + 4 + labelW)
        // Square cells: fit the grid's aspect ratio inside the available area.
        let cell = min(avail.width / Double(grid.columns), avail.height / Double(grid.rows))
        let plot = Rect(x: avail.minX, y: avail.minY, width: cell * Double(grid.columns), height: cell * Double(grid.rows))
        b.drawImage(colormap.image(grid.values, width: grid.columns, height: grid.rows, lo: lo, hi: hi), in: plot, smooth: false)
        b.strokeRect(plot, StrokeStyle(color: theme.axis, width: 0.5))
        if showValues && cell >= 14 {
            for rr in 0..<grid.rows { for c in 0..<grid.columns {
                let v = grid[rr, c]
                let t = (v - lo) / (hi - lo)
                let ink = (colormap == .viridis && t < 0.6) || (colormap == .gray && t < 0.5) || (colormap == .diverging && abs(t - 0.5) > 0.35) ? Color.white : theme.ink
                b.text(TextBlock(plain: v.isFinite ? Ticks.label(v) : "–", font: Font(.sans, size: min(8, cell * 0.35)), color: ink),
                       at: Point(plot.minX + (Double(c) + 0.5) * cell, plot.minY + (Double(rr) + 0.5) * cell), anchor: (0.5, 0.5))
            } }
        }
        for (i, l) in rowLabels.prefix(grid.rows).enumerated() {
            b.text(TextBlock(plain: clipped(l, 20), font: theme.tickFont, color: theme.ink), at: Point(plot.minX - 3, plot.minY + (Double(i) + 0.5) * cell), anchor: (1, 0.5))
        }
        for (i, l) in columnLabels.prefix(grid.columns).enumerated() {
            b.text(TextBlock(plain: clipped(l, 12), font: theme.tickFont, color: theme.ink), at: Point(plot.minX + (Double(i) + 0.5) * cell, plot.maxY + 2), anchor: (0.5, 0))
        }
        // Colour bar: a 1×64 image, ticks on its right.
        let bar = Rect(x: plot.maxX + 14, y: plot.minY, width: 10, height: plot.height)
        let steps = 64
        let column = (0..<steps).map { hi - (hi - lo) * Double($0) / Double(steps - 1) }
        b.drawImage(colormap.image(column, width: 1, height: steps, lo: lo, hi: hi), in: bar, smooth: true)
        b.strokeRect(bar, StrokeStyle(color: theme.axis, width: 0.5))
        for t in barTicks {
            let y = bar.maxY - (t - lo) / (hi - lo) * bar.height
            b.line(Point(bar.maxX, y), Point(bar.maxX + 3, y), StrokeStyle(color: theme.axis, width: 0.6))
            b.text(TextBlock(plain: Ticks.label(t, step: barTicks.count > 1 ? barTicks[1] - barTicks[0] : nil), font: theme.tickFont, color: theme.ink),
                   at: Point(bar.maxX + 5, y), anchor: (0, 0.5))
        }
        if let l = colorBarLabel {
            b.text(TextBlock(plain: l, font: theme.labelFont, color: theme.ink), at: Point(bar.maxX + 9 + tickW, bar.midY), anchor: (0.5, 0), angle: -Double.pi / 2)
        }
    }
}
